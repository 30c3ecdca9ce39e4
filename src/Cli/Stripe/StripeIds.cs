using System.Security.Cryptography;

namespace Provisioning.Cli.Stripe;

/// <summary>Ids in Stripe's style: a prefix and random letters and digits (<c>evt_1Pgc76B7WZ01zgkWwyRHS12y</c>).</summary>
public static class StripeIds
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string New(string prefix, int length = 24) => prefix + new string(RandomNumberGenerator.GetItems<char>(Alphabet, length));
}
