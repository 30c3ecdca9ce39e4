using System.Globalization;
using System.Text;

namespace Provisioning.ServiceDefaults;

/// <summary>
/// Makes text a request chose (its path, a header) safe to put in a log line: control characters and line separators
/// become visible escapes (<c>\n</c>, <c>\u2028</c>), so a request cannot end a line and forge the next one, and the text is
/// cut at <see cref="MaxLength"/> characters.
/// </summary>
public static class LogText
{
    public const int MaxLength = 256;

    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var builder = new StringBuilder(Math.Min(text.Length, MaxLength) + 8);
        foreach (var c in text.Length > MaxLength ? text[..MaxLength] : text)
        {
            _ = c switch
            {
                '\n' => builder.Append("\\n"),
                '\r' => builder.Append("\\r"),
                '\t' => builder.Append("\\t"),
                '\\' => builder.Append("\\\\"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029'
                    => builder.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return text.Length > MaxLength ? builder.Append("...").ToString() : builder.ToString();
    }

    public static string Escape(Microsoft.AspNetCore.Http.PathString path) => Escape(path.Value);
}
