using static TorchSharp.torch;

namespace AffectMae.Models.Runtime;

/// <summary>What <see cref="PrecisionResolver"/> picked for a request, and why.</summary>
/// <param name="Requested">The precision asked for (may be <see cref="InferencePrecision.Auto"/>).</param>
/// <param name="Precision">The precision used: never <see cref="InferencePrecision.Auto"/>.</param>
/// <param name="Reason">Why, in words fit for a log line (e.g. "the CPU has avx512_bf16").</param>
public sealed record PrecisionChoice(InferencePrecision Requested, InferencePrecision Precision, string Reason)
{
    /// <summary>The tensor element type of <see cref="Precision"/>.</summary>
    public ScalarType ScalarType => ScalarTypeOf(Precision);

    /// <summary>Whether the choice computes in less than float32.</summary>
    public bool IsReduced => Precision != InferencePrecision.Float32;

    /// <summary>E.g. "bfloat16 (auto: the CPU has avx512_bf16)".</summary>
    public override string ToString() =>
        $"{NameOf(Precision)} ({(Requested == InferencePrecision.Auto ? "auto: " : "")}{Reason})";

    /// <summary>The tensor element type of a resolved precision.</summary>
    /// <exception cref="ArgumentException"><paramref name="precision"/> is <see cref="InferencePrecision.Auto"/>, which depends on the device.</exception>
    public static ScalarType ScalarTypeOf(InferencePrecision precision) => precision switch
    {
        InferencePrecision.Float32 => ScalarType.Float32,
        InferencePrecision.BFloat16 => ScalarType.BFloat16,
        InferencePrecision.Float16 => ScalarType.Float16,
        InferencePrecision.Auto => throw new ArgumentException("Auto has no element type until it is resolved for a device: call PrecisionResolver.Resolve(InferencePrecision.Auto, device).", nameof(precision)),
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not an InferencePrecision."),
    };

    /// <summary>The lower-case name used in logs, manifests and on the command line: float32, bfloat16, float16, auto.</summary>
    public static string NameOf(InferencePrecision precision) => precision switch
    {
        InferencePrecision.Float32 => "float32",
        InferencePrecision.BFloat16 => "bfloat16",
        InferencePrecision.Float16 => "float16",
        InferencePrecision.Auto => "auto",
        _ => throw new ArgumentOutOfRangeException(nameof(precision), precision, "Not an InferencePrecision."),
    };

    /// <summary>Parses <see cref="NameOf"/>'s names (any case; also the enum member names).</summary>
    /// <exception cref="FormatException">The text names no precision; the message lists the names.</exception>
    public static InferencePrecision Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        foreach (var precision in Enum.GetValues<InferencePrecision>())
        {
            if (string.Equals(text.Trim(), NameOf(precision), StringComparison.OrdinalIgnoreCase)
                || string.Equals(text.Trim(), precision.ToString(), StringComparison.OrdinalIgnoreCase))
                return precision;
        }
        throw new FormatException($"'{text}' is not a precision; use float32, bfloat16, float16 (CUDA only) or auto.");
    }
}
