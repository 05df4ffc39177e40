// Parse Mermaid diagrams with Mermaid's own parser: reads a JSON list of {name, text} on stdin, prints a
// JSON list of {name, ok, type, error}. Mermaid's sanitiser needs a DOM, so jsdom provides one.
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false, securityLevel: "strict" });

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const { name, text } of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ name, ok: true, type: parsed.diagramType, error: null });
  } catch (err) {
    results.push({ name, ok: false, type: null, error: String(err.message || err) });
  }
}
process.stdout.write(JSON.stringify(results));
