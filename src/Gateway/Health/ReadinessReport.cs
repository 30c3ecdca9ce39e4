namespace Provisioning.Gateway.Health;

/// <summary>The answer of <c>GET /readyz</c>: <c>ready</c> only when every check passed.</summary>
public sealed record ReadinessReport(string Status, IReadOnlyDictionary<string, ReadinessCheck> Checks);

/// <summary>One part the gateway depends on, whether it answered in time, and what happened if not.</summary>
public sealed record ReadinessCheck(bool Ok, double ElapsedMs, string? Error = null);
