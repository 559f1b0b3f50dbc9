namespace Gateway.Proxy.Configuration;

/// <summary>
/// Structural checks on a parsed routes.json before it may replace the active configuration, so that an empty,
/// truncated or inconsistent file is rejected with a message that names the key.
/// </summary>
internal static class RoutesConfigValidator
{
    /// <summary>Returns null when valid, else the first problem found.</summary>
    public static string? Validate(IConfiguration root)
    {
        var proxy = root.GetSection("ReverseProxy");
        if (!proxy.Exists())
        {
            return "ReverseProxy section is missing";
        }

        var clusters = proxy.GetSection("Clusters").GetChildren().ToList();
        if (clusters.Count == 0)
        {
            return "ReverseProxy:Clusters is empty";
        }

        var clusterIds = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cluster in clusters)
        {
            clusterIds.Add(cluster.Key);
            var destinations = cluster.GetSection("Destinations").GetChildren().ToList();
            if (destinations.Count == 0)
            {
                return $"ReverseProxy:Clusters:{cluster.Key}:Destinations is empty";
            }

            foreach (var destination in destinations)
            {
                var address = destination["Address"];
                if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
                {
                    return $"ReverseProxy:Clusters:{cluster.Key}:Destinations:{destination.Key}:Address '{address}' is not an absolute http(s) URL";
                }
            }
        }

        var routes = proxy.GetSection("Routes").GetChildren().ToList();
        if (routes.Count == 0)
        {
            return "ReverseProxy:Routes is empty";
        }

        foreach (var route in routes)
        {
            var clusterId = route["ClusterId"];
            if (string.IsNullOrWhiteSpace(clusterId) || !clusterIds.Contains(clusterId))
            {
                return $"ReverseProxy:Routes:{route.Key}:ClusterId '{clusterId}' names no cluster";
            }

            if (string.IsNullOrWhiteSpace(route["Match:Path"]) && string.IsNullOrWhiteSpace(route["Match:Hosts:0"]))
            {
                return $"ReverseProxy:Routes:{route.Key}:Match:Path is missing";
            }

            var limit = route["Metadata:RateLimit"];
            if (limit is not null && !RateLimiting.RateLimitRule.TryParse(limit, out _))
            {
                return $"ReverseProxy:Routes:{route.Key}:Metadata:RateLimit '{limit}' is not N/second, N/minute, N/hour or N/day";
            }
        }

        return null;
    }
}
