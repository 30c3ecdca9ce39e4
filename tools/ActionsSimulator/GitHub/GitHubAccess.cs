using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>GitHub's checks before an endpoint does anything: a User-Agent, a token, a repository it serves.</summary>
public sealed class GitHubAccess(IOptions<SimulatorOptions> options)
{
    private readonly byte[]? _token = string.IsNullOrEmpty(options.Value.Token) ? null : Encoding.UTF8.GetBytes(options.Value.Token);

    /// <summary>The answer that refuses the request (403, 401 or 404); null when it may go on.</summary>
    public IResult? Refuse(HttpRequest request, string owner, string repo, string documentationUrl)
    {
        if (string.IsNullOrWhiteSpace(request.Headers.UserAgent))
        {
            return GitHubErrors.UserAgentRequired();
        }

        string? header = request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return GitHubErrors.RequiresAuthentication();
        }

        if (AuthorizationHeader.Token(header) is not { } token || !Accepts(token))
        {
            return GitHubErrors.BadCredentials();
        }

        return Serves(options.Value.Owner, owner) && Serves(options.Value.Repo, repo)
            ? null
            : GitHubErrors.NotFound(documentationUrl);
    }

    private bool Accepts(string token) =>
        _token is null || CryptographicOperations.FixedTimeEquals(_token, Encoding.UTF8.GetBytes(token));

    private static bool Serves(string? configured, string requested) =>
        string.IsNullOrEmpty(configured) || string.Equals(configured, requested, StringComparison.OrdinalIgnoreCase);
}
