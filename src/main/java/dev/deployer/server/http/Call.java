package dev.deployer.server.http;

import java.util.Map;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.server.Request;

/**
 * One request as an endpoint sees it: its id (in the log and in every error answer), the client
 * the socket (or a trusted proxy) names, the path's parameters, who the guard admitted, and the
 * body once the route has read it.
 */
public final class Call {
  private final String id;
  private final Request request;
  private final String client;
  private final Map<String, String> params;
  private String principal;
  private byte[] body;
  private MultiPartFormData.Parts parts;

  Call(String id, Request request, String client, Map<String, String> params) {
    this.id = id;
    this.request = request;
    this.client = client;
    this.params = params;
  }

  public String id() {
    return id;
  }

  public String client() {
    return client;
  }

  public String param(String name) {
    return params.get(name);
  }

  /** A request header, or null. */
  public String header(String name) {
    return request.getHeaders().get(name);
  }

  /** Who a guard admitted (a user or a hook's project), for the endpoint and the log. */
  public String principal() {
    return principal;
  }

  public void admit(String principal) {
    this.principal = principal;
  }

  /** The body of a route that reads bytes; empty for one that reads none. */
  public byte[] body() {
    return body == null ? new byte[0] : body;
  }

  /** The form of a route that reads multipart; its files are on disk until the call ends. */
  public MultiPartFormData.Parts parts() {
    return parts;
  }

  void body(byte[] body) {
    this.body = body;
  }

  void parts(MultiPartFormData.Parts parts) {
    this.parts = parts;
  }
}
