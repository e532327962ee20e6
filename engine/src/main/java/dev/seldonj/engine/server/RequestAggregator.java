package dev.seldonj.engine.server;

import dev.seldonj.engine.message.BodyPieces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;

/**
 * Assembles a client's request from the decoder's pieces into one {@link FullHttpRequest}, as Netty's
 * {@code HttpObjectAggregator} and {@code HttpServerExpectContinueHandler} did, but for a server whose
 * answers are written as bytes: a body that arrived in one piece is kept as that pooled slice (no
 * composite), {@code Expect: 100-continue} is answered here, and a body over the limit gets 413 (the
 * connection is kept when the client keeps it alive, and the rest of that body is skipped).
 *
 * <p>Behind Netty's {@code HttpContentDecompressor}: a compressed body's head comes without
 * {@code Content-Length} (chunked), so its limit is checked on the inflated bytes as they arrive.
 */
final class RequestAggregator extends ChannelInboundHandlerAdapter {

  private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] EXPECTATION_FAILED = ("HTTP/1.1 417 Expectation Failed\r\ncontent-length: 0\r\n\r\n")
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOO_LARGE = "HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n\r\n"
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] TOO_LARGE_CLOSE = ("HTTP/1.1 413 Request Entity Too Large\r\ncontent-length: 0\r\n"
      + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private final int maxBodyBytes;
  /** Null while no request is being read, or while the rest of a refused body is skipped. */
  private HttpRequest head;
  private ByteBuf body;

  RequestAggregator(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest full) {
      // What the decoder makes of a request it cannot read: the handler answers its decoder failure.
      reset();
      ctx.fireChannelRead(full);
      return;
    }
    try {
      if (msg instanceof HttpRequest r) {
        start(ctx, r);
      } else if (msg instanceof HttpContent c) {
        content(ctx, c);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void start(ChannelHandlerContext ctx, HttpRequest r) {
    reset();
    String expect = r.headers().get(HttpHeaderNames.EXPECT);
    boolean expectsContinue = false;
    if (expect != null && r.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0) {
      // As Netty's HttpServerExpectContinueHandler: 100-continue is the one expectation known.
      if (!HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect)) {
        ctx.writeAndFlush(Unpooled.wrappedBuffer(EXPECTATION_FAILED), ctx.voidPromise());
        return;
      }
      expectsContinue = true;
    }
    if (HttpUtil.getContentLength(r, -1L) > maxBodyBytes) {
      tooLarge(ctx, r, expectsContinue);
      return;
    }
    if (expectsContinue) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(CONTINUE), ctx.voidPromise());
      r.headers().remove(HttpHeaderNames.EXPECT);
    }
    head = r;
  }

  private void content(ChannelHandlerContext ctx, HttpContent c) {
    if (head == null) {
      return;
    }
    ByteBuf data = c.content();
    if (data.isReadable()) {
      body = BodyPieces.append(body, data, ctx.alloc());
      if (body.readableBytes() > maxBodyBytes) {
        HttpRequest r = head;
        reset();
        tooLarge(ctx, r, false);
        return;
      }
    }
    if (c instanceof LastHttpContent last) {
      HttpRequest r = head;
      ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body;
      head = null;
      body = null;
      FullHttpRequest full = new DefaultFullHttpRequest(r.protocolVersion(), r.method(), r.uri(), content,
          r.headers(), last.trailingHeaders());
      // A failed decode split by the content decompressor (Content-Encoding set) keeps its failure.
      if (!r.decoderResult().isSuccess()) {
        full.setDecoderResult(r.decoderResult());
      }
      ctx.fireChannelRead(full);
    }
  }

  /** As HttpObjectAggregator: 413, and the connection closed unless the client keeps it alive. */
  private void tooLarge(ChannelHandlerContext ctx, HttpRequest r, boolean expectsContinue) {
    if (!expectsContinue && !HttpUtil.isKeepAlive(r)) {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_LARGE_CLOSE)).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(Unpooled.wrappedBuffer(TOO_LARGE)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
  }

  private void reset() {
    head = null;
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    reset();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    reset();
  }
}
