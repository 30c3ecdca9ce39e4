using System.Buffers;

namespace Provisioning.Gateway.Api;

/// <summary>What became of reading a webhook's body.</summary>
public enum WebhookBodyOutcome
{
    Read,
    TooLarge,
    TooSlow,
}

/// <summary>
/// Reads a webhook's raw body, as the bytes that were signed, never more than a limit and never for longer than
/// <see cref="ReadDeadline"/>: the body is unauthenticated until it is complete, so a sender that trickles it must not hold
/// anything that real deliveries need.
/// </summary>
public static class WebhookBody
{
    /// <summary>How long a body may take to arrive: 10 s. Webhook bodies are a few KiB; senders deliver them in milliseconds.</summary>
    public static readonly TimeSpan ReadDeadline = TimeSpan.FromSeconds(10);

    /// <summary>The body, or the rejection to answer when it did not arrive whole (413 over the limit, 408 too slow).</summary>
    public static async Task<(byte[]? Body, WebhookRejection? Rejection)> ReadOrRejectAsync(
        HttpRequest request, int maxBytes, string? limitOf, string? thenWhenSlow, CancellationToken cancellationToken)
    {
        var (body, outcome) = await ReadAsync(request, maxBytes, cancellationToken);
        return body is not null ? (body, null)
            : outcome == WebhookBodyOutcome.TooSlow ? (null, WebhookRejection.BodyTooSlow(thenWhenSlow))
            : (null, WebhookRejection.BodyTooLarge(maxBytes, limitOf));
    }

    /// <summary>The body, or why there is none: longer than <paramref name="maxBytes"/> (reading stops there) or slower than <see cref="ReadDeadline"/>.</summary>
    public static async Task<(byte[]? Body, WebhookBodyOutcome Outcome)> ReadAsync(
        HttpRequest request, int maxBytes, CancellationToken cancellationToken)
    {
        if (request.ContentLength > maxBytes)
        {
            return (null, WebhookBodyOutcome.TooLarge);
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(ReadDeadline);
        using var body = new MemoryStream(capacity: (int)Math.Min(request.ContentLength ?? 16 * 1024, maxBytes));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, deadline.Token)) > 0)
            {
                if (body.Length + read > maxBytes)
                {
                    return (null, WebhookBodyOutcome.TooLarge);
                }

                body.Write(chunk, 0, read);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (null, WebhookBodyOutcome.TooSlow);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return (body.ToArray(), WebhookBodyOutcome.Read);
    }
}
