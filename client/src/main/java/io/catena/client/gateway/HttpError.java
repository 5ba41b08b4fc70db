package io.catena.client.gateway;

/** A request the gateway answers with an error status and a JSON body {error, message}. */
final class HttpError extends RuntimeException {

  final int status;
  final String code;

  HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  static HttpError badRequest(String message) {
    return new HttpError(400, "INVALID_ARGUMENT", message);
  }
}
