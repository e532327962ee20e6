package dev.seldonj.engine.server;

import dev.seldonj.engine.message.BodyPieces;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.compression.DecompressionException;
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
import java.util.function.Predicate;

/**
 * Assembles a client's request from the decoder's pieces into one {@link FullHttpRequest}, as Netty's
 * {@code HttpObjectAggregator} and {@code HttpServerExpectContinueHandler} did, but for a server whose
 * answers are written as bytes: a body that arrived in one piece is kept as that pooled slice (no
 * composite), {@code Expect: 100-continue} is answered here, and a body over the limit gets 413 (the
 * connection is kept when the client keeps it alive, and the rest of that body is skipped).
 *
 * <p>A gzip or deflate body is inflated here as it arrives ({@link BodyInflater}), piece by piece against
 * the limit, so one that inflates past it costs the limit plus one piece, then gets the same 413; its
 * compressed bytes count against the limit too. The request passed on carries the inflated body, without
 * {@code Content-Encoding}. A body that does not match its encoding is passed on as a
 * {@link DecompressionException} (the handler answers 400 and closes the connection).
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
  /** Inflates the body being read when its Content-Encoding is one the engine decodes. */
  private BodyInflater inflater;
  private long compressedBytes;
  /** A body did not match its encoding: the connection is being closed, nothing more is read. */
  private boolean broken;

  RequestAggregator(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (broken) {
      ReferenceCountUtil.release(msg);
      return;
    }
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
    inflater = BodyInflater.forEncoding(r.headers().get(HttpHeaderNames.CONTENT_ENCODING));
  }

  private void content(ChannelHandlerContext ctx, HttpContent c) {
    if (head == null) {
      return;
    }
    boolean last = c instanceof LastHttpContent;
    boolean withinLimit;
    try {
      withinLimit = inflater == null ? append(c.content(), ctx.alloc()) : inflate(c.content(), last, ctx.alloc());
    } catch (DecompressionException e) {
      reset();
      broken = true;
      ctx.fireExceptionCaught(e);
      return;
    }
    if (!withinLimit) {
      HttpRequest r = head;
      reset();
      tooLarge(ctx, r, false);
      return;
    }
    if (last) {
      HttpRequest r = head;
      ByteBuf content = body == null ? Unpooled.EMPTY_BUFFER : body;
      if (inflater != null) {
        // The body is plain now: no Content-Encoding, and the length it inflated to.
        r.headers().remove(HttpHeaderNames.CONTENT_ENCODING).remove(HttpHeaderNames.TRANSFER_ENCODING)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        closeInflater();
      }
      head = null;
      body = null;
      FullHttpRequest full = new DefaultFullHttpRequest(r.protocolVersion(), r.method(), r.uri(), content,
          r.headers(), ((LastHttpContent) c).trailingHeaders());
      // A request the decoder failed on keeps its failure: the handler answers it.
      if (!r.decoderResult().isSuccess()) {
        full.setDecoderResult(r.decoderResult());
      }
      ctx.fireChannelRead(full);
    }
  }

  /**
   * Adds a piece to the body; false, keeping nothing, when it would take the body over the limit (checked
   * before appending: a composite at the limit is never consolidated for a body about to be dropped).
   */
  private boolean append(ByteBuf piece, ByteBufAllocator alloc) {
    if (!piece.isReadable()) {
      return true;
    }
    if ((body == null ? 0L : body.readableBytes()) + piece.readableBytes() > maxBodyBytes) {
      return false;
    }
    body = BodyPieces.append(body, piece, alloc);
    return true;
  }

  /** Inflates the next compressed bytes onto the body; false when they or what they inflate to go over the limit. */
  private boolean inflate(ByteBuf compressed, boolean last, ByteBufAllocator alloc) {
    compressedBytes += compressed.readableBytes();
    if (compressedBytes > maxBodyBytes) {
      return false;
    }
    Predicate<ByteBuf> onto = piece -> append(piece, alloc);
    return inflater.inflate(compressed, alloc, onto) && (!last || inflater.finish(onto));
  }

  private void closeInflater() {
    if (inflater != null) {
      inflater.close();
      inflater = null;
    }
    compressedBytes = 0;
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
    closeInflater();
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
