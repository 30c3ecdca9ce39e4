using Microsoft.AspNetCore.Authorization;

namespace Provisioning.Gateway.Operators;

/// <summary>
/// Reading the API: an operator may always; anyone on this machine may while <see cref="ReadAccess.RequireKey"/> is false,
/// as long as the request is local by its own account (<see cref="ReadAccess.IsLocalRequest"/>).
/// </summary>
public sealed class ReadAccessRequirement : IAuthorizationRequirement;

internal sealed class ReadAccessHandler(ReadAccess readAccess) : AuthorizationHandler<ReadAccessRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReadAccessRequirement requirement)
    {
        if (context.User.Identity is { IsAuthenticated: true, AuthenticationType: OperatorAccess.Scheme }
            || (!readAccess.RequireKey && context.Resource is HttpContext http && ReadAccess.IsLocalRequest(http.Request)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
