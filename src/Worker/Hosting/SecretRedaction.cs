namespace LabelFree.Worker.Hosting;

/// <summary>
/// Renders settings that carry credentials (storage connection strings, broker URLs with a password)
/// in a form safe for logs: what is connected to, never the key or password.
/// </summary>
public static class SecretRedaction
{
    // Query parameter names containing any of these carry a credential (password=, sig= of a SAS, access_token=...).
    private static readonly string[] CredentialWords = ["password", "passwd", "pwd", "secret", "key", "token", "sig", "credential", "auth"];

    /// <summary>"account NAME" (or the endpoint, or "development storage") from a connection string; never its key.</summary>
    public static string StorageAccount(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return "no connection string";
        }

        var settings = ConnectionStringSettings(connectionString);
        if (settings.TryGetValue("UseDevelopmentStorage", out var development)
            && development.Equals("true", StringComparison.OrdinalIgnoreCase))
        {
            return "development storage";
        }

        if (settings.TryGetValue("AccountName", out var account) && account.Length > 0)
        {
            return $"account {account}";
        }

        if (settings.TryGetValue("BlobEndpoint", out var endpoint) && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return $"endpoint {uri.GetLeftPart(UriPartial.Path)}";
        }

        return "connection string set";
    }

    /// <summary>
    /// The URL with any user name and password replaced by "***", and the values of query parameters that look
    /// like credentials (password, secret, key, token, sig...) too. Works on the text, not on <see cref="Uri"/>:
    /// without "scheme://" ("user:pass@host:5672/vhost") Uri takes "user" for the scheme and the password for
    /// part of the path, and an unencoded '/' or '?' in a password moves the rest of it out of the user info.
    /// So everything before the last '@' after the scheme is hidden, whatever it looks like.
    /// </summary>
    public static string Url(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "(no URL)";
        }

        var text = url.Trim();
        var schemeEnd = text.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd <= 0 || !text[..schemeEnd].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            // No scheme; a "://" further on belongs to a path or query, where the user info must not hide.
            schemeEnd = -1;
        }

        var scheme = schemeEnd >= 0 ? text[..(schemeEnd + 3)] : "";
        var rest = schemeEnd >= 0 ? text[(schemeEnd + 3)..] : text;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            rest = "***" + rest[at..];
        }

        var query = rest.IndexOf('?', StringComparison.Ordinal);
        return query < 0 ? scheme + rest : scheme + rest[..(query + 1)] + RedactedQuery(rest[(query + 1)..]);
    }

    private static string RedactedQuery(string query)
    {
        var parts = query.Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            var equals = parts[i].IndexOf('=', StringComparison.Ordinal);
            var name = equals >= 0 ? parts[i][..equals] : parts[i];
            if (equals >= 0 && CredentialWords.Any(word => name.Contains(word, StringComparison.OrdinalIgnoreCase)))
            {
                parts[i] = name + "=***";
            }
        }

        return string.Join('&', parts);
    }

    /// <summary>The key=value pairs of a connection string (keys case-insensitive).</summary>
    public static IReadOnlyDictionary<string, string> ConnectionStringSettings(string connectionString)
    {
        var settings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                settings[part[..equals]] = part[(equals + 1)..];
            }
        }

        return settings;
    }
}
