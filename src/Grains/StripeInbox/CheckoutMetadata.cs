using Provisioning.Grains.Jobs;
using Provisioning.Jobs;
using Provisioning.StripeEvents;

namespace Provisioning.Grains.StripeInbox;

/// <summary>Checks a paid checkout's metadata; a checkout made outside the agent wizard has none and is not an error.</summary>
public static class CheckoutMetadata
{
    private const int MaxIdLength = 200;

    /// <summary>The job a checkout asks for, or the reason it asks for none.</summary>
    public static (NewJob? Job, string? IgnoredBecause) Read(string eventId, DateTimeOffset paidAt, CheckoutCompleted checkout, JobsOptions options)
    {
        if (checkout.PaymentStatus is "unpaid")
        {
            return (null, "payment not received yet (payment_status unpaid)");
        }

        if (Invalid(checkout.UserId) is { } userProblem)
        {
            return (null, $"metadata.userId {userProblem}");
        }

        if (Invalid(checkout.AgentId) is { } agentProblem)
        {
            return (null, $"metadata.agentId {agentProblem}");
        }

        var region = string.IsNullOrWhiteSpace(checkout.Region) ? options.DefaultRegion : checkout.Region.Trim();
        if (!options.Regions.Contains(region, StringComparer.Ordinal))
        {
            return (null, $"metadata.region '{Truncate(region)}' is not one of {string.Join(", ", options.Regions)}");
        }

        return (new NewJob(eventId, checkout.UserId!.Trim(), checkout.AgentId!.Trim(), region, checkout.SessionId, paidAt), null);
    }

    private static string? Invalid(string? value) =>
        string.IsNullOrWhiteSpace(value) ? "is missing"
        : value.Length > MaxIdLength ? $"is longer than {MaxIdLength} characters"
        : value.Any(char.IsControl) ? "contains control characters"
        : null;

    private static string Truncate(string value) => value.Length <= 40 ? value : value[..40] + "...";
}
