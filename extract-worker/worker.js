// The file-import Web Worker. Loaded by the page only when a file is picked or
// dropped, so the PDF/DOCX parsers never weigh on the first load. Messages in:
// {id, name, bytes: ArrayBuffer}. Messages out: {id, page, pages} while a PDF
// is read, then {id, result: "<JSON>"} (see extract-worker/src/lib.rs). A
// crash (a Wasm abort) surfaces as this worker's "error" event in the page,
// which then starts a fresh worker.
importScripts("/worker/extract_worker.js");
const ready = wasm_bindgen({ module_or_path: "/worker/extract_worker_bg.wasm" });

self.onmessage = async (event) => {
  const { id, name, bytes } = event.data;
  await ready;
  const progress = (page, pages) => self.postMessage({ id, page, pages });
  const result = wasm_bindgen.extract_file(new Uint8Array(bytes), name, progress);
  self.postMessage({ id, result });
};
