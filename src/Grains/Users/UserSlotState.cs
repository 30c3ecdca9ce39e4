namespace Provisioning.Grains.Users;

[GenerateSerializer]
public sealed class UserSlotState
{
    /// <summary>The one job of this user that may be in progress.</summary>
    [Id(0)] public string? CurrentJobId { get; set; }

    /// <summary>Paid jobs waiting for the slot, first in first out.</summary>
    [Id(1)] public List<string> Waiting { get; set; } = [];

    /// <summary>The current job was promoted from the waiting list and has not confirmed that it started.</summary>
    [Id(2)] public bool PromotionPending { get; set; }
}
