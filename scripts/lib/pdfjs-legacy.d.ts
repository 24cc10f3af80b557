// The legacy build (for Node) has the same API as the main build, whose types pdfjs-dist ships.
declare module 'pdfjs-dist/legacy/build/pdf.mjs' {
  export * from 'pdfjs-dist'
}
