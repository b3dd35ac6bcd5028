// Workflow files → the API prompt the server runs (editor conversion, image metadata).

export { convertEditorWorkflow, editorNodeClasses, type Conversion, type UnconvertedNode } from "./editor-to-api.js";
export { isEditorWorkflow } from "./editor-format.js";
export { imageContainer, readImageText, type ImageContainer, type Inflate } from "./image-metadata.js";
export { readWorkflowSource, WorkflowSourceError, type WorkflowContainer, type WorkflowSource } from "./workflow-source.js";
export { widgetSlots, type NodeClassInfo, type ObjectInfo } from "./widget-slots.js";
export { unconvertedNodes } from "./messages.js";
