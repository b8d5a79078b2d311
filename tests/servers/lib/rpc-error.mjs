/** A JSON-RPC error to send back verbatim ({code, message, data?}). */
export class RpcError extends Error {
  constructor(code, message, data) {
    super(message);
    this.code = code;
    this.data = data;
  }
}
