using Microsoft.Extensions.Options;
using Stripe;

namespace Provisioning.Gateway.StripeWebhooks;

/// <summary>What the <c>Stripe-Signature</c> header of a delivery says about its body.</summary>
public enum StripeSignatureCheck
{
    Valid,
    Missing,
    Malformed,
    Mismatch,
    Expired,
}

/// <summary>
/// Checks a delivery's <c>Stripe-Signature</c> header against every configured secret with Stripe.net's
/// <see cref="EventUtility.ValidateSignature(string, string, string, long, long)"/> (which compares in constant time).
/// A signature that is right but outside the tolerance is told apart from a wrong one by checking it again at the
/// moment it says it was made.
/// </summary>
public sealed class StripeSignatureVerifier(IOptions<StripeWebhookOptions> options, TimeProvider time)
{
    /// <summary>How far, in seconds, the signature's timestamp may be from now (Stripe's recommended 5 minutes).</summary>
    public const long ToleranceSeconds = 300;

    public StripeSignatureCheck Verify(string payload, string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return StripeSignatureCheck.Missing;
        }

        if (!TryReadTimestamp(header, out var signedAt))
        {
            return StripeSignatureCheck.Malformed;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var rightButExpired = false;
        foreach (var secret in options.Value.WebhookSecrets)
        {
            if (Matches(payload, header, secret, now))
            {
                return StripeSignatureCheck.Valid;
            }

            rightButExpired |= Matches(payload, header, secret, signedAt);
        }

        return rightButExpired ? StripeSignatureCheck.Expired : StripeSignatureCheck.Mismatch;
    }

    private static bool Matches(string payload, string header, string secret, long now)
    {
        try
        {
            EventUtility.ValidateSignature(payload, header, secret, ToleranceSeconds, now);
            return true;
        }
        catch (StripeException)
        {
            return false;
        }
    }

    /// <summary>The header is <c>t=&lt;unix seconds&gt;,v1=&lt;hex&gt;[,v1=...][,v0=...]</c>: a timestamp and at least one v1 signature.</summary>
    private static bool TryReadTimestamp(string header, out long timestamp)
    {
        timestamp = 0;
        var hasTimestamp = false;
        var hasSignature = false;
        foreach (var element in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var separator = element.IndexOf('=');
            if (separator <= 0)
            {
                continue;
            }

            var (key, value) = (element[..separator], element[(separator + 1)..]);
            if (key == "t")
            {
                hasTimestamp = long.TryParse(value, System.Globalization.NumberStyles.None, null, out timestamp);
            }
            else if (key == "v1" && value.Length > 0)
            {
                hasSignature = true;
            }
        }

        return hasTimestamp && hasSignature;
    }
}
