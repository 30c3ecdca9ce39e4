namespace Provisioning.Grains;

public static class DurableState
{
    /// <summary>
    /// Writes the grain's state. If the write fails, the activation is dropped as soon as it is idle, so that no later
    /// call answers from an in-memory state that storage does not have: the next activation reloads what is durable.
    /// </summary>
    public static async Task WriteOrReloadAsync<T>(this IPersistentState<T> state, IGrainBase grain)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception)
        {
            grain.DeactivateOnIdle();
            throw;
        }
    }
}
