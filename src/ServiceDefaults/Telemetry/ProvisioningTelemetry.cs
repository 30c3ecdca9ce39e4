namespace Provisioning.ServiceDefaults.Telemetry;

/// <summary>
/// The names under which the product reports. Its own meter and activity source are both named <see cref="Name"/>; the
/// grains, which do not reference this project, create theirs under the same name (docs/observability.md lists every
/// instrument and span).
/// </summary>
public static class ProvisioningTelemetry
{
    /// <summary>The product's <see cref="System.Diagnostics.Metrics.Meter"/> and <see cref="System.Diagnostics.ActivitySource"/>.</summary>
    public const string Name = "Provisioning";

    /// <summary>The meter of the Orleans runtime (grain calls, messaging, activations).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// The activity source of calls to application grains (<c>Orleans.Diagnostics.ActivitySources.ApplicationGrainActivitySourceName</c>);
    /// Orleans' own runtime calls (membership, reminders) are left out.
    /// </summary>
    public const string OrleansGrainCalls = "Microsoft.Orleans.Application";
}
