using Yarp.ReverseProxy.Forwarder;

namespace Gateway.Proxy.Errors;

/// <summary>Bounded <c>error_type</c> label values and client-facing messages for YARP forwarding errors.</summary>
internal static class ForwarderErrorTypes
{
    public static string From(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => "timeout",
        ForwarderError.RequestCanceled or ForwarderError.RequestBodyCanceled or ForwarderError.ResponseBodyCanceled
            or ForwarderError.RequestBodyClient or ForwarderError.ResponseBodyClient => "client_aborted",
        ForwarderError.ResponseBodyDestination => "upstream_stream_error",
        ForwarderError.NoAvailableDestinations => "no_available_destination",
        ForwarderError.RequestCreation or ForwarderError.ResponseHeaders => "gateway_error",
        _ => "connection_error",
    };

    public static string Message(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => "The provider did not answer in time",
        ForwarderError.NoAvailableDestinations => "No healthy provider destination is available",
        ForwarderError.RequestCreation or ForwarderError.ResponseHeaders => "The gateway could not forward the request",
        _ => "The provider could not be reached",
    };

    /// <summary>HTTP status for an error bucket: 504 for time-outs, 503 with no destination, else 502.</summary>
    public static int Status(ForwarderError error) => error switch
    {
        ForwarderError.RequestTimedOut => 504,
        ForwarderError.NoAvailableDestinations => 503,
        ForwarderError.RequestCreation or ForwarderError.ResponseHeaders => 500,
        _ => 502,
    };

    public static string FromStatus(int status) => status switch
    {
        429 => "rate_limited",
        529 => "overloaded",
        >= 500 => "upstream_5xx",
        >= 400 => "upstream_4xx",
        _ => "upstream_error",
    };
}
