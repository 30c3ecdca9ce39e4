namespace Provisioning.Grains.Dispatch;

/// <summary>Starts the provisioning workflow for a job attempt. One call is one HTTP request; retrying is the caller's.</summary>
public interface IWorkflowDispatcher
{
    Task<DispatchOutcome> DispatchAsync(DispatchRequest request, CancellationToken cancellationToken);
}
