package dev.ssrl.cli.serve;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.util.Callback;

/** A stream that drops interim (1xx) responses: for HTTP/1.0 clients, which know none. */
final class NoInterimResponses extends HttpStream.Wrapper {
  NoInterimResponses(HttpStream wrapped) {
    super(wrapped);
  }

  @Override
  public void send(
      MetaData.Request request,
      MetaData.Response response,
      boolean last,
      ByteBuffer content,
      Callback callback) {
    if (response != null && HttpStatus.isInterim(response.getStatus())) {
      callback.succeeded();
      return;
    }
    super.send(request, response, last, content, callback);
  }
}
