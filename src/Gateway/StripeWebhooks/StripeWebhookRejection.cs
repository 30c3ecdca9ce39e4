namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>
/// Why a delivery was refused before anything was written: its HTTP status, a machine-readable <see cref="Reason"/>
/// (the problem's <c>reason</c> extension) and a sentence for people (the problem's <c>detail</c>).
/// </summary>
public sealed record StripeWebhookRejection(int Status, string Reason, string Title, string Detail)
{
    public static readonly StripeWebhookRejection UnsupportedMediaType = new(
        StatusCodes.Status415UnsupportedMediaType, "unsupported-media-type", "Unsupported media type",
        "A Stripe webhook is sent as Content-Type: application/json (charset utf-8, if any).");

    public static StripeWebhookRejection BodyTooLarge(int maxBytes) => new(
        StatusCodes.Status413PayloadTooLarge, "body-too-large", "Body too large",
        $"The body is larger than {maxBytes / 1024} KiB, the most a Stripe event is accepted with.");

    public static StripeWebhookRejection BodyTooSlow(TimeSpan deadline) => new(
        StatusCodes.Status408RequestTimeout, "body-too-slow", "Body too slow",
        $"The body did not arrive within {deadline.TotalSeconds:0} s; nothing was recorded. Deliver the event again.");

    public static readonly StripeWebhookRejection EmptyBody = new(
        StatusCodes.Status400BadRequest, "empty-body", "Empty body", "The request has no body; a Stripe event was expected.");

    public static readonly StripeWebhookRejection SignatureMissing = new(
        StatusCodes.Status400BadRequest, "signature-missing", "Missing signature", "The Stripe-Signature header is missing.");

    public static readonly StripeWebhookRejection SignatureMalformed = new(
        StatusCodes.Status400BadRequest, "signature-malformed", "Malformed signature",
        "The Stripe-Signature header is not of the form t=<timestamp>,v1=<signature>.");

    public static readonly StripeWebhookRejection SignatureMismatch = new(
        StatusCodes.Status400BadRequest, "signature-mismatch", "Signature mismatch",
        "No signature in the Stripe-Signature header matches the body with any configured webhook secret: " +
        "the body was changed, or it was signed with another secret.");

    public static readonly StripeWebhookRejection SignatureExpired = new(
        StatusCodes.Status400BadRequest, "signature-expired", "Signature expired",
        $"The signature matches, but its timestamp is more than {StripeSignatureVerifier.ToleranceSeconds} s away from now " +
        "(a replayed delivery, or a clock out of sync).");

    public static StripeWebhookRejection MalformedJson(string why) => new(
        StatusCodes.Status400BadRequest, "malformed-json", "Malformed JSON", $"The body is not valid JSON: {why}");

    public static StripeWebhookRejection NotAnEvent(string why) => new(
        StatusCodes.Status400BadRequest, "not-an-event", "Not a Stripe event", $"The body is JSON but not a Stripe event: {why}.");

    public static StripeWebhookRejection For(StripeSignatureCheck check) => check switch
    {
        StripeSignatureCheck.Missing => SignatureMissing,
        StripeSignatureCheck.Malformed => SignatureMalformed,
        StripeSignatureCheck.Expired => SignatureExpired,
        _ => SignatureMismatch,
    };
}
