using System.Net;
using System.Text.Json.Nodes;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Webhooks;

/// <summary>
/// Every delivery the webhook must refuse is refused with its status and a problem saying why, and leaves the database
/// exactly as it was: not a grain state, not a read-model row.
/// </summary>
public sealed class StripeWebhookRejectionTests(TestSystem system) : IClassFixture<TestSystem>
{
    [Theory]
    [InlineData("no Stripe-Signature header", HttpStatusCode.BadRequest, "signature-missing")]
    [InlineData("signed with an unknown secret", HttpStatusCode.BadRequest, "signature-mismatch")]
    [InlineData("body changed after signing", HttpStatusCode.BadRequest, "signature-mismatch")]
    [InlineData("unknown secret and an old timestamp", HttpStatusCode.BadRequest, "signature-mismatch")]
    [InlineData("signed 10 minutes ago", HttpStatusCode.BadRequest, "signature-expired")]
    [InlineData("signed 10 minutes in the future", HttpStatusCode.BadRequest, "signature-expired")]
    [InlineData("signature header without v1", HttpStatusCode.BadRequest, "signature-malformed")]
    [InlineData("malformed JSON, correctly signed", HttpStatusCode.BadRequest, "malformed-json")]
    [InlineData("a customer object, not an event", HttpStatusCode.BadRequest, "not-an-event")]
    [InlineData("an event without data.object", HttpStatusCode.BadRequest, "not-an-event")]
    [InlineData("a JSON array", HttpStatusCode.BadRequest, "not-an-event")]
    [InlineData("body over 256 KiB, correctly signed", HttpStatusCode.RequestEntityTooLarge, "body-too-large")]
    [InlineData("empty body", HttpStatusCode.BadRequest, "empty-body")]
    [InlineData("content type text/plain", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type")]
    [InlineData("no content type", HttpStatusCode.UnsupportedMediaType, "unsupported-media-type")]
    public async Task Webhook_BadDelivery_IsRefusedWithReasonAndWritesNothing(string delivery, HttpStatusCode status, string reason)
    {
        var before = await DatabaseRows.CountAsync(system.ConnectionString);
        Assert.Contains(before, table => table.StartsWith("orleansstorage=", StringComparison.Ordinal));

        var answer = await system.Http.SendWebhookAsync(Build(delivery));

        Assert.Equal(status, answer.Status);
        Assert.Equal("application/problem+json", answer.MediaType);
        Assert.Equal(reason, answer.Reason);
        Assert.Equal((int)status, answer.Body.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(answer.Text("detail")));
        var after = await DatabaseRows.CountAsync(system.ConnectionString);
        Assert.Equal(before, after);
    }

    private static HttpRequestMessage Build(string delivery)
    {
        var checkout = StripeEventFactory.CheckoutCompleted(StripeEventFactory.NewId("user"), StripeEventFactory.NewId("agent"));
        var json = checkout.Json;
        var now = DateTimeOffset.UtcNow;
        return delivery switch
        {
            "no Stripe-Signature header" => StripeEventFactory.Request(json, signature: null),
            "signed with an unknown secret" => checkout.ToRequest(secret: "whsec_not_the_configured_one"),
            "body changed after signing" => StripeEventFactory.Request(
                json.Replace("\"paid\"", "\"unpaid\"", StringComparison.Ordinal), StripeEventFactory.Sign(json)),
            "unknown secret and an old timestamp" => checkout.ToRequest("whsec_not_the_configured_one", now.AddMinutes(-10)),
            "signed 10 minutes ago" => checkout.ToRequest(signedAt: now.AddMinutes(-10)),
            "signed 10 minutes in the future" => checkout.ToRequest(signedAt: now.AddMinutes(10)),
            "signature header without v1" => StripeEventFactory.Request(json, $"t={now.ToUnixTimeSeconds()}"),
            "malformed JSON, correctly signed" => Signed(json[..(json.Length / 2)]),
            "a customer object, not an event" => Signed(StripeEventFactory.Load("customer.json").ToJsonString()),
            "an event without data.object" => Signed(WithoutDataObject(json)),
            "a JSON array" => Signed($"[{json}]"),
            "body over 256 KiB, correctly signed" => Signed(Padded(json, 300 * 1024)),
            "empty body" => Signed(""),
            "content type text/plain" => StripeEventFactory.Request(json, StripeEventFactory.Sign(json), "text/plain"),
            "no content type" => StripeEventFactory.Request(json, StripeEventFactory.Sign(json), contentType: null),
            _ => throw new ArgumentOutOfRangeException(nameof(delivery), delivery, "no such case"),
        };
    }

    private static HttpRequestMessage Signed(string body) => StripeEventFactory.Request(body, StripeEventFactory.Sign(body));

    private static string WithoutDataObject(string eventJson)
    {
        var stripeEvent = JsonNode.Parse(eventJson)!.AsObject();
        stripeEvent["data"] = new JsonObject();
        return stripeEvent.ToJsonString();
    }

    private static string Padded(string eventJson, int bytes)
    {
        var stripeEvent = JsonNode.Parse(eventJson)!.AsObject();
        stripeEvent["data"]!["object"]!["metadata"]!["padding"] = new string('x', bytes);
        return stripeEvent.ToJsonString();
    }
}
