// The Mermaid library under Node: it needs a DOM (jsdom) to sanitize labels.
// Both mermaid-parse.mjs and escaping.mjs import it from here.
import { JSDOM } from 'jsdom';

const { window } = new JSDOM('');
globalThis.window = window;
globalThis.document = window.document;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
export default mermaid;
