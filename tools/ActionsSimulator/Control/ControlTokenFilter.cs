using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Provisioning.ActionsSimulator.GitHub;

namespace Provisioning.ActionsSimulator.Control;

/// <summary>
/// Lets a control request through only with <c>Authorization: Bearer &lt;Simulator:Token&gt;</c> (or <c>token ...</c>): the
/// control API decides what every dispatch and run does, so a web page or another local user must not reach it.
/// </summary>
internal sealed class ControlTokenFilter(IOptions<SimulatorOptions> options) : IEndpointFilter
{
    private readonly byte[] _token = Encoding.UTF8.GetBytes(options.Value.Token ?? "");

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = AuthorizationHeader.Token(context.HttpContext.Request.Headers.Authorization);
        if (_token.Length > 0 && given is not null && CryptographicOperations.FixedTimeEquals(_token, Encoding.UTF8.GetBytes(given)))
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(
            statusCode: StatusCodes.Status401Unauthorized,
            title: "Simulator token required",
            detail: "The control API takes Authorization: Bearer <Simulator:Token>.");
    }
}
