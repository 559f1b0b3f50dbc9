namespace Gateway.Pricing.Catalog;

/// <summary>A pricing file or override is malformed; the message names the file and key.</summary>
public sealed class PricingFormatException : Exception
{
    public PricingFormatException()
    {
    }

    public PricingFormatException(string message)
        : base(message)
    {
    }

    public PricingFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
