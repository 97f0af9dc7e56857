// Express 4 is installed under the alias `express4` for the adapter tests; it has no types of its own.
// The Express 5 types describe the parts the tests use (app, Router, handlers) well enough.
declare module 'express4' {
  import express from 'express';
  export default express;
}
