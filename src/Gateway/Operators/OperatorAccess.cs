using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Provisioning.Gateway.Operators;

public static class OperatorAccess
{
    /// <summary>The authentication scheme of operator keys.</summary>
    public const string Scheme = "OperatorKey";

    /// <summary>The policy of operator actions (and of any route group that only operators may use, e.g. a dashboard).</summary>
    public const string OperatorPolicy = "Operator";

    /// <summary>The policy of the read-only API: open on a loopback-only gateway unless configured otherwise, else operators only.</summary>
    public const string ReadPolicy = "Reader";

    /// <summary>
    /// Operator authentication (<see cref="OperatorKeyHandler"/>, keys from <c>Gateway:OperatorKeys</c>, validated at start) and the
    /// <see cref="OperatorPolicy"/> and <see cref="ReadPolicy"/> authorization policies.
    /// </summary>
    public static IHostApplicationBuilder AddOperatorAccess(this IHostApplicationBuilder builder)
    {
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OperatorOptions>, OperatorOptionsValidation>());
        builder.Services.AddOptions<OperatorOptions>().BindConfiguration(OperatorOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<OperatorKeyRing>();
        builder.Services.AddSingleton<OperatorKeyThrottle>();
        builder.Services.AddSingleton<ReadAccess>();
        builder.Services.AddHostedService<OperatorAccessReport>();
        builder.Services.AddSingleton<IAuthorizationHandler, ReadAccessHandler>();
        // Authentication without data protection: no cookies or tokens are issued, so no key ring is needed (AddAuthentication
        // would create and store one at start).
        builder.Services.AddWebEncoders();
        builder.Services.AddAuthenticationCore(o => o.DefaultScheme = Scheme);
        new AuthenticationBuilder(builder.Services).AddScheme<AuthenticationSchemeOptions, OperatorKeyHandler>(Scheme, null);
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(OperatorPolicy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser())
            .AddPolicy(ReadPolicy, policy => policy.AddAuthenticationSchemes(Scheme).AddRequirements(new ReadAccessRequirement()));
        builder.Services.AddSingleton<RetryCandidatesQuery>();
        builder.Services.AddSingleton<OperatorActions>();
        return builder;
    }
}
