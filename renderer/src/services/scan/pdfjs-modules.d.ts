// pdf.js ships no types for its worker module; importing it only sets up the in-thread worker.
declare module 'pdfjs-dist/build/pdf.worker.min.mjs' {
  export const WorkerMessageHandler: unknown
}
