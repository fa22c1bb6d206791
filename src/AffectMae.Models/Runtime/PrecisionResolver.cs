using Microsoft.Extensions.Logging;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Runtime;

/// <summary>Turns a requested <see cref="InferencePrecision"/> into the one a device will use, and says why.</summary>
public static class PrecisionResolver
{
    /// <summary>Resolves <paramref name="requested"/> for <paramref name="device"/>, probing the hardware when it matters.</summary>
    /// <param name="requested">What the user asked for.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="logger">Receives one line with the choice and its reason (a warning for bfloat16 on hardware without fast bfloat16).</param>
    /// <returns>The precision to use, never <see cref="InferencePrecision.Auto"/>.</returns>
    /// <exception cref="ArgumentException"><see cref="InferencePrecision.Float16"/> on a device other than CUDA.</exception>
    public static PrecisionChoice Resolve(InferencePrecision requested, Device device, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        var support = requested is InferencePrecision.Auto or InferencePrecision.BFloat16 ? BFloat16Support.Probe(device) : null;
        return Resolve(requested, device, support, logger);
    }

    /// <summary>
    /// Resolves <paramref name="requested"/> for <paramref name="device"/> given what the hardware offers (for tests, or
    /// to decide for a machine other than this one).
    /// </summary>
    /// <param name="requested">What the user asked for.</param>
    /// <param name="device">Where the model runs.</param>
    /// <param name="support">What the device offers; needed for <see cref="InferencePrecision.Auto"/> and <see cref="InferencePrecision.BFloat16"/>.</param>
    /// <param name="logger">Receives one line with the choice and its reason.</param>
    /// <exception cref="ArgumentException"><see cref="InferencePrecision.Float16"/> on a device other than CUDA.</exception>
    public static PrecisionChoice Resolve(InferencePrecision requested, Device device, BFloat16Support? support, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (requested is InferencePrecision.Auto or InferencePrecision.BFloat16 && support is null)
            throw new ArgumentNullException(nameof(support), $"Resolving {PrecisionChoice.NameOf(requested)} needs to know whether {device} runs bfloat16 fast: pass BFloat16Support.Probe(device).");
        var choice = requested switch
        {
            InferencePrecision.Float32 => new PrecisionChoice(requested, InferencePrecision.Float32, "requested"),
            InferencePrecision.Float16 when device.type != DeviceType.CUDA => throw new ArgumentException(
                $"float16 inference runs on CUDA devices only, and the model is on {device}. On a CPU use BFloat16 (fast where the CPU has AVX512_BF16 or AMX) or Float32, or Auto to pick between them.", nameof(requested)),
            InferencePrecision.Float16 => new PrecisionChoice(requested, InferencePrecision.Float16, "requested"),
            InferencePrecision.BFloat16 => new PrecisionChoice(requested, InferencePrecision.BFloat16,
                support!.IsFast ? $"requested; {support.Evidence}" : $"requested, but {support.Evidence}: expect it to be slower than float32"),
            InferencePrecision.Auto => new PrecisionChoice(requested, support!.IsFast ? InferencePrecision.BFloat16 : InferencePrecision.Float32, support.Evidence),
            _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, "Not an InferencePrecision."),
        };
        if (choice.Precision == InferencePrecision.BFloat16 && !support!.IsFast)
            logger?.LogWarning("Inference precision on {Device}: {Choice}", device, choice);
        else
            logger?.LogInformation("Inference precision on {Device}: {Choice}", device, choice);
        if (device.type == DeviceType.CPU) NativeHeap.AdviseOnce(logger);
        return choice;
    }
}
