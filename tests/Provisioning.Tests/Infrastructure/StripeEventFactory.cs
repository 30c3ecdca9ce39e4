using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Stripe;
using File = System.IO.File;

namespace Provisioning.Tests.Infrastructure;

/// <summary>
/// Stripe events as Stripe sends them: built from Stripe's own object shapes (under <c>src/Cli/Stripe/Shapes</c>, which the CLI builds its checkouts from too), with
/// the fields a test needs set, at the SDK's API version or an older pinned one, and signed with Stripe.net's own
/// <see cref="EventUtility.GenerateSignatureHeader"/>.
/// </summary>
public static class StripeEventFactory
{
    /// <summary>An API version from before 2025-03-31, when the subscription period and the invoice's subscription moved.</summary>
    public const string OlderApiVersion = "2023-10-16";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The API version of the Stripe.net the project uses (its events are what a new account receives).</summary>
    public static string SdkApiVersion => StripeConfiguration.ApiVersion;

    public static string FixturesFolder { get; } = Path.Combine(Repository.Root, "src", "Cli", "Stripe", "Shapes");

    /// <summary>A unique Stripe-like id, e.g. <c>evt_test_3f2a...</c>.</summary>
    public static string NewId(string prefix) => $"{prefix}_test_{Guid.NewGuid():N}";

    /// <summary>
    /// A paid <c>checkout.session.completed</c>. Metadata entries that are null are left out; <paramref name="expandLinks"/>
    /// sends the subscription and customer as objects instead of ids.
    /// </summary>
    public static StripeTestEvent CheckoutCompleted(
        string? userId, string? agentId, string? region = null, string? subscriptionId = null, string? customerId = null,
        string? apiVersion = null, DateTimeOffset? created = null, bool expandLinks = false)
    {
        var session = Load("checkout.session.json");
        session["id"] = NewId("cs");
        session["status"] = "complete";
        session["payment_status"] = "paid";
        session["mode"] = subscriptionId is null ? "payment" : "subscription";
        var metadata = new JsonObject();
        foreach (var (key, value) in new[] { ("userId", userId), ("agentId", agentId), ("region", region) })
        {
            if (value is not null)
            {
                metadata[key] = value;
            }
        }

        session["metadata"] = metadata;
        session["subscription"] = Link(subscriptionId, "subscription", expandLinks);
        session["customer"] = Link(customerId, "customer", expandLinks);
        return Wrap("checkout.session.completed", session, apiVersion, created);
    }

    /// <summary>A <c>customer.subscription.created|updated|deleted</c> event, with the period end where the API version puts it.</summary>
    public static StripeTestEvent SubscriptionEvent(
        string type, string subscriptionId, string status, DateTimeOffset created, string customerId, string priceId,
        DateTimeOffset currentPeriodEnd, bool cancelAtPeriodEnd = false, string? apiVersion = null)
    {
        apiVersion ??= SdkApiVersion;
        var subscription = Load("subscription.json");
        subscription["id"] = subscriptionId;
        subscription["status"] = status;
        subscription["customer"] = customerId;
        subscription["cancel_at_period_end"] = cancelAtPeriodEnd;
        subscription["created"] = created.AddDays(-1).ToUnixTimeSeconds();
        var item = subscription["items"]!["data"]![0]!.AsObject();
        item["subscription"] = subscriptionId;
        item["price"]!["id"] = priceId;
        item["plan"]!["id"] = priceId;
        var periodStart = currentPeriodEnd.AddMonths(-1).ToUnixTimeSeconds();
        if (IsBeforeBasil(apiVersion))
        {
            item.Remove("current_period_end");
            item.Remove("current_period_start");
            subscription["current_period_end"] = currentPeriodEnd.ToUnixTimeSeconds();
            subscription["current_period_start"] = periodStart;
        }
        else
        {
            item["current_period_end"] = currentPeriodEnd.ToUnixTimeSeconds();
            item["current_period_start"] = periodStart;
        }

        return Wrap(type, subscription, apiVersion, created);
    }

    /// <summary>An <c>invoice.paid</c> or <c>invoice.payment_failed</c> event naming its subscription where the API version puts it.</summary>
    public static StripeTestEvent InvoiceEvent(
        string type, string subscriptionId, DateTimeOffset created, string customerId, string? apiVersion = null)
    {
        apiVersion ??= SdkApiVersion;
        var paid = type == "invoice.paid";
        var invoice = Load("invoice.json");
        invoice["id"] = NewId("in");
        invoice["customer"] = customerId;
        invoice["billing_reason"] = "subscription_cycle";
        invoice["status"] = paid ? "paid" : "open";
        invoice["amount_paid"] = paid ? invoice["amount_due"]!.GetValue<int>() : 0;
        invoice["attempted"] = true;
        invoice["attempt_count"] = 1;
        if (IsBeforeBasil(apiVersion))
        {
            invoice.Remove("parent");
            invoice["subscription"] = subscriptionId;
        }
        else
        {
            invoice.Remove("subscription");
            invoice["parent"] = new JsonObject
            {
                ["quote_details"] = null,
                ["subscription_details"] = new JsonObject { ["metadata"] = new JsonObject(), ["subscription"] = subscriptionId },
                ["type"] = "subscription_details",
            };
        }

        return Wrap(type, invoice, apiVersion, created);
    }

    /// <summary>A <c>customer.created</c> event: one the service does not act on.</summary>
    public static StripeTestEvent CustomerCreated()
    {
        var customer = Load("customer.json");
        customer["id"] = NewId("cus");
        return Wrap("customer.created", customer, null, null);
    }

    /// <summary>One of the shapes as stored, e.g. <c>customer.json</c>.</summary>
    public static JsonObject Load(string fileName)
    {
        if (!Directory.Exists(FixturesFolder))
        {
            throw new InvalidOperationException(
                $"The Stripe object shapes are missing: expected the folder {FixturesFolder} (part of the repository).");
        }

        return JsonNode.Parse(File.ReadAllText(Path.Combine(FixturesFolder, fileName)))!.AsObject();
    }

    /// <summary>A <c>Stripe-Signature</c> header for <paramref name="payload"/>, made by Stripe.net, as of <paramref name="signedAt"/> (default now).</summary>
    public static string Sign(string payload, string secret = TestSecrets.StripeWebhookSecret, DateTimeOffset? signedAt = null) =>
        EventUtility.GenerateSignatureHeader(payload, secret, (signedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds());

    /// <summary>A delivery to <c>POST /api/webhooks/stripe</c> with any body, signature header (none if null) and content type.</summary>
    public static HttpRequestMessage Request(string body, string? signature, string? contentType = "application/json; charset=utf-8")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        if (contentType is not null)
        {
            content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/stripe") { Content = content };
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        }

        return request;
    }

    private static StripeTestEvent Wrap(string type, JsonObject dataObject, string? apiVersion, DateTimeOffset? created)
    {
        var stripeEvent = Load("event.json");
        var id = NewId("evt");
        var at = created ?? DateTimeOffset.UtcNow;
        stripeEvent["id"] = id;
        stripeEvent["type"] = type;
        stripeEvent["api_version"] = apiVersion ?? SdkApiVersion;
        stripeEvent["created"] = at.ToUnixTimeSeconds();
        stripeEvent["livemode"] = false;
        stripeEvent["pending_webhooks"] = 1;
        stripeEvent["data"] = new JsonObject { ["object"] = dataObject };
        return new StripeTestEvent(id, type, DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()), stripeEvent.ToJsonString(Indented));
    }

    /// <summary>
    /// Another Event object for the same object (a new event id, the same <c>data.object</c>), as Stripe sometimes
    /// generates for one checkout session; optionally of another <paramref name="type"/>.
    /// </summary>
    public static StripeTestEvent SecondEventObject(StripeTestEvent first, string? type = null)
    {
        var stripeEvent = JsonNode.Parse(first.Json)!.AsObject();
        var id = NewId("evt");
        stripeEvent["id"] = id;
        stripeEvent["type"] = type ?? first.Type;
        return new StripeTestEvent(id, type ?? first.Type, first.Created, stripeEvent.ToJsonString(Indented));
    }

    private static JsonNode? Link(string? id, string objectName, bool expand) =>
        id is null ? null
        : expand ? new JsonObject { ["id"] = id, ["object"] = objectName }
        : JsonValue.Create(id);

    private static bool IsBeforeBasil(string apiVersion) => string.CompareOrdinal(apiVersion, "2025-03-31") < 0;
}

/// <summary>A Stripe event as JSON, with the id, type and creation time (whole seconds) it was built with.</summary>
public sealed record StripeTestEvent(string Id, string Type, DateTimeOffset Created, string Json)
{
    /// <summary>A delivery of this event signed with <paramref name="secret"/> as of <paramref name="signedAt"/> (default now).</summary>
    public HttpRequestMessage ToRequest(string secret = TestSecrets.StripeWebhookSecret, DateTimeOffset? signedAt = null) =>
        StripeEventFactory.Request(Json, StripeEventFactory.Sign(Json, secret, signedAt));
}
