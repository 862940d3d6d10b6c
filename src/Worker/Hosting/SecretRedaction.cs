namespace LabelFree.Worker.Hosting;

/// <summary>
/// Renders settings that carry credentials (storage connection strings, broker URLs with a password)
/// in a form safe for logs: what is connected to, never the key or password.
/// </summary>
public static class SecretRedaction
{
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

    /// <summary>The URL with any user name and password replaced by "***".</summary>
    public static string Url(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return "(not a URL)";
        }

        if (uri.UserInfo.Length == 0)
        {
            return uri.ToString();
        }

        var builder = new UriBuilder(uri) { UserName = "***", Password = "" };
        return builder.Uri.ToString();
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
