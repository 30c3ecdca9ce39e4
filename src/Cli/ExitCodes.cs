namespace Provisioning.Cli;

/// <summary>The process exit codes, documented in docs/cli.md; scripts branch on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>An unexpected error inside the CLI itself (the message and stack trace say where).</summary>
    public const int Internal = 1;

    /// <summary>Bad command line or input: an unknown command or option, a missing required option, a bad value, no secret or key.</summary>
    public const int Usage = 2;

    /// <summary>No connection to the gateway, or no answer in time.</summary>
    public const int Unreachable = 3;

    /// <summary>The gateway refused the credentials: 401/403 (operator key, callback signature) or a Stripe signature rejection.</summary>
    public const int Unauthorized = 4;

    /// <summary>404: no job (or event) has the id.</summary>
    public const int NotFound = 5;

    /// <summary>409: the job's state does not allow it (a callback's run must stop).</summary>
    public const int Conflict = 6;

    /// <summary>Any other refusal or failure of the gateway: 400, 413, 415, 5xx (503 while storage is down), an unexpected answer.</summary>
    public const int GatewayError = 7;

    /// <summary><c>jobs watch</c>: the job ended <c>failed</c>.</summary>
    public const int JobFailed = 8;

    /// <summary><c>jobs watch</c>: the job ended <c>cancelled</c>.</summary>
    public const int JobCancelled = 9;

    /// <summary><c>jobs watch --timeout</c>: the job had not ended by then.</summary>
    public const int Timeout = 10;

    /// <summary>Interrupted (Ctrl-C, SIGTERM).</summary>
    public const int Interrupted = 130;
}
