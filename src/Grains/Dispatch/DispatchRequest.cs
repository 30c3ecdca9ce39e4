namespace Provisioning.Grains.Dispatch;

/// <summary>The inputs of one workflow run: which job, which attempt, and where to call back.</summary>
public sealed record DispatchRequest(string JobId, string AgentId, string Region, int Attempt);
