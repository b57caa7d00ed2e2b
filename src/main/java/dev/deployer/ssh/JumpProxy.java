package dev.deployer.ssh;

import com.jcraft.jsch.ChannelDirectTCPIP;
import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SocketFactory;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * ProxyJump for JSch, which has none: the next hop's SSH connection is carried by a direct-tcpip
 * channel of the bastion's session, so no port opens anywhere and the next hop's host key is
 * checked end to end, as OpenSSH's -J does.
 */
final class JumpProxy implements Proxy {
  private final Session bastion;
  private ChannelDirectTCPIP channel;
  private InputStream in;
  private OutputStream out;

  JumpProxy(Session bastion) {
    this.bastion = bastion;
  }

  @Override
  public void connect(SocketFactory ignored, String host, int port, int timeout) throws Exception {
    channel = (ChannelDirectTCPIP) bastion.openChannel("direct-tcpip");
    channel.setHost(host);
    channel.setPort(port);
    in = channel.getInputStream();
    out = channel.getOutputStream();
    channel.connect(timeout);
  }

  @Override
  public InputStream getInputStream() {
    return in;
  }

  @Override
  public OutputStream getOutputStream() {
    return out;
  }

  @Override
  public Socket getSocket() {
    return null;
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.disconnect();
    }
  }
}
