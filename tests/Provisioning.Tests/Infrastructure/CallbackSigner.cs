using System.Net.Http.Headers;
using System.Text;
using StandardWebhooks;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// Signs workflow callbacks with the <c>StandardWebhooks</c> package, an implementation independent of the product's:
/// <c>webhook-signature: v1,&lt;base64 HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"&gt;</c>, keyed with
/// the base64-decoded secret after <c>whsec_</c>.
/// </summary>
public static class CallbackSigner
{
    /// <summary>The <c>v1,...</c> signature of a body.</summary>
    public static string Sign(string secret, string id, long timestamp, byte[] body)
        => new StandardWebhook(secret).Sign(id, DateTimeOffset.FromUnixTimeSeconds(timestamp), Encoding.UTF8.GetString(body));

    /// <summary>
    /// A signed <c>POST /api/webhooks/github</c>: a new <c>webhook-id</c> unless one is given, signed now (or at
    /// <paramref name="signedAt"/>) with the current callback secret (or <paramref name="secret"/>). <paramref name="signature"/>
    /// replaces the computed header, e.g. to send several entries or a forged one.
    /// </summary>
    public static HttpRequestMessage Request(
        string body, string? id = null, string secret = TestSecrets.CallbackSecret, DateTimeOffset? signedAt = null, string? signature = null)
    {
        id ??= $"msg_{Guid.NewGuid():N}";
        var timestamp = (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
        var bytes = Encoding.UTF8.GetBytes(body);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/github") { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature ?? Sign(secret, id, timestamp, bytes));
        return request;
    }
}
