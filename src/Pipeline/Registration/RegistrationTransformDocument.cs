using System.Text.Json.Serialization;

namespace LabelFree.Pipeline.Registration;

/// <summary>
/// The JSON form of a <see cref="RegistrationTransform"/>, used for <c>--reference</c> files and inside results.
/// The matrix is authoritative; the parameters are written for people. A hand-written reference may give only the
/// parameters (scale, rotationDegrees, translationX, translationY), read as
/// <see cref="AffineTransform2D.Similarity"/> would build them.
/// </summary>
public sealed record RegistrationTransformDocument
{
    public const string ConventionText =
        "fixed (x, y) = movingToFixed . [x, y, 1] with moving pixels as given; pixel centres at integer coordinates, " +
        "(0, 0) = centre of the top-left pixel, x along columns, y down rows; rotation positive from the x axis towards the y axis (clockwise on screen).";

    /// <summary>Two rows of three numbers.</summary>
    public double[][]? MovingToFixed { get; init; }

    public double? Scale { get; init; }

    public double? RelativeScale { get; init; }

    public double? RotationDegrees { get; init; }

    public double? TranslationX { get; init; }

    public double? TranslationY { get; init; }

    public double? MovingPixelSizeUm { get; init; }

    public double? FixedPixelSizeUm { get; init; }

    [JsonPropertyOrder(100)]
    public string? Convention { get; init; }

    public static RegistrationTransformDocument From(RegistrationTransform transform)
    {
        ArgumentNullException.ThrowIfNull(transform);
        return new RegistrationTransformDocument
        {
            MovingToFixed = transform.MovingToFixed.ToRows(),
            Scale = transform.Scale,
            RelativeScale = transform.RelativeScale,
            RotationDegrees = transform.RotationDegrees,
            TranslationX = transform.TranslationX,
            TranslationY = transform.TranslationY,
            MovingPixelSizeUm = transform.MovingPixelSizeUm,
            FixedPixelSizeUm = transform.FixedPixelSizeUm,
            Convention = ConventionText,
        };
    }

    /// <exception cref="InvalidDataException">The document holds neither a valid matrix nor a full set of parameters.</exception>
    public RegistrationTransform ToTransform(string source)
    {
        var matrix = MovingToFixed is null ? FromParameters(source) : FromMatrix(MovingToFixed, source);
        try
        {
            return new RegistrationTransform(matrix, MovingPixelSizeUm, FixedPixelSizeUm);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidDataException($"{source}: {ex.Message}", ex);
        }
    }

    private static AffineTransform2D FromMatrix(double[][] rows, string source)
    {
        if (rows.Length != 2 || rows.Any(row => row is null || row.Length != 3))
        {
            throw new InvalidDataException($"{source}: movingToFixed must be two rows of three numbers ([[a, b, tx], [c, d, ty]]).");
        }

        return new AffineTransform2D(rows[0][0], rows[0][1], rows[0][2], rows[1][0], rows[1][1], rows[1][2]);
    }

    private AffineTransform2D FromParameters(string source)
    {
        if (Scale is not { } scale || RotationDegrees is not { } rotation || TranslationX is not { } x || TranslationY is not { } y)
        {
            throw new InvalidDataException(
                $"{source}: a transform needs movingToFixed, or all of scale, rotationDegrees, translationX and translationY.");
        }

        return AffineTransform2D.Similarity(scale, rotation, x, y);
    }
}
