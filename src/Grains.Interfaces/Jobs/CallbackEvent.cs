namespace Provisioning.Jobs;

/// <summary>What a workflow run reports about its job. Serialized in JSON as the lowercase name. Never renumber.</summary>
public enum CallbackEvent
{
    Claim = 0,
    Heartbeat = 1,
    Complete = 2,
    Fail = 3,
}
