namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>A valid workflow_dispatch body: <c>{"ref": ..., "inputs": {...}, "return_run_details": true}</c>.</summary>
public sealed record DispatchBody(string Ref, IReadOnlyDictionary<string, string> Inputs, bool ReturnRunDetails);
