namespace Provisioning.Jobs;

/// <summary>Who caused a transition. Serialized in JSON as the lowercase name. Never renumber: the values are persisted.</summary>
public enum JobActor
{
    Stripe = 0,
    Github = 1,
    Operator = 2,
    System = 3,
}
