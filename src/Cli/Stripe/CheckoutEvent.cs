using System.Text.Json;
using System.Text.Json.Nodes;
using global::Stripe;

namespace Provisioning.Cli.Stripe;

/// <summary>
/// A <c>checkout.session.completed</c> event as Stripe sends it when the agent wizard's checkout is paid: Stripe's own event and
/// checkout session shapes with the session paid and complete and the wizard's metadata (<c>userId</c>, <c>agentId</c>, and
/// <c>region</c> when given), at Stripe.net's API version. The gateway reads the metadata as
/// <c>src/Grains.StripeInbox/CheckoutMetadata.cs</c> describes.
/// </summary>
public sealed record CheckoutEvent(string EventId, string SessionId, string Json)
{
    public const string Type = "checkout.session.completed";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static CheckoutEvent Create(string userId, string agentId, string? region, string? eventId, DateTimeOffset now)
    {
        var id = eventId ?? StripeIds.New("evt_1", 23);
        var sessionId = StripeIds.New("cs_test_a1", 56);
        var created = now.ToUnixTimeSeconds();

        var metadata = new JsonObject { ["userId"] = userId, ["agentId"] = agentId };
        if (region is not null)
        {
            metadata["region"] = region;
        }

        var session = Shape("checkout.session.json");
        session["id"] = sessionId;
        session["created"] = created - 60;
        session["expires_at"] = created + 86_400;
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["mode"] = "payment";
        session["metadata"] = metadata;
        session["url"] = null;

        var stripeEvent = Shape("event.json");
        stripeEvent["id"] = id;
        stripeEvent["type"] = Type;
        stripeEvent["api_version"] = StripeConfiguration.ApiVersion;
        stripeEvent["created"] = created;
        stripeEvent["livemode"] = false;
        stripeEvent["pending_webhooks"] = 1;
        stripeEvent["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null };
        stripeEvent["data"] = new JsonObject { ["object"] = session };
        return new CheckoutEvent(id, sessionId, stripeEvent.ToJsonString(Indented));
    }

    /// <summary>The <c>Stripe-Signature</c> header Stripe sends (<c>t=...,v1=...</c>), made by Stripe.net for <paramref name="secret"/>.</summary>
    public string Sign(string secret, DateTimeOffset at) => EventUtility.GenerateSignatureHeader(Json, secret, at.ToUnixTimeSeconds());

    private static JsonObject Shape(string name)
    {
        using var stream = typeof(CheckoutEvent).Assembly.GetManifestResourceStream($"Stripe.{name}")
            ?? throw new InvalidOperationException($"The Stripe object shape {name} is not embedded in the CLI.");
        return JsonNode.Parse(stream)!.AsObject();
    }
}
