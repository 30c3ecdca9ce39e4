using Provisioning.Gateway.Api;

namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>The refusals only a Stripe delivery can meet; the body limits are <see cref="WebhookRejection"/>'s.</summary>
public static class StripeWebhookRejection
{
    public static readonly WebhookRejection UnsupportedMediaType = new(
        StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
        "A Stripe webhook is sent as Content-Type: application/json (charset utf-8, if any).");

    public static readonly WebhookRejection EmptyBody = new(
        StatusCodes.Status400BadRequest, "empty-body", "Empty body", "The request has no body; a Stripe event was expected.");

    public static readonly WebhookRejection SignatureMissing = new(
        StatusCodes.Status400BadRequest, "signature-missing", "Missing signature", "The Stripe-Signature header is missing.");

    public static readonly WebhookRejection SignatureMalformed = new(
        StatusCodes.Status400BadRequest, "signature-malformed", "Malformed signature",
        "The Stripe-Signature header is not of the form t=<timestamp>,v1=<signature>.");

    public static readonly WebhookRejection SignatureMismatch = new(
        StatusCodes.Status400BadRequest, "signature-mismatch", "Signature mismatch",
        "No signature in the Stripe-Signature header matches the body with any configured webhook secret: " +
        "the body was changed, or it was signed with another secret.");

    public static readonly WebhookRejection SignatureExpired = new(
        StatusCodes.Status400BadRequest, "signature-expired", "Signature expired",
        $"The signature matches, but its timestamp is more than {StripeSignatureVerifier.ToleranceSeconds} s away from now " +
        "(a replayed delivery, or a clock out of sync).");

    public static WebhookRejection MalformedJson(string why) => new(
        StatusCodes.Status400BadRequest, "malformed-json", "Malformed JSON", $"The body is not valid JSON: {why}");

    public static WebhookRejection NotAnEvent(string why) => new(
        StatusCodes.Status400BadRequest, "not-an-event", "Not a Stripe event", $"The body is JSON but not a Stripe event: {why}.");

    public static WebhookRejection For(StripeSignatureCheck check) => check switch
    {
        StripeSignatureCheck.Missing => SignatureMissing,
        StripeSignatureCheck.Malformed => SignatureMalformed,
        StripeSignatureCheck.Expired => SignatureExpired,
        _ => SignatureMismatch,
    };
}
