using Microsoft.Extensions.Logging;
using TorchSharp.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace AffectMae.Models.Runtime;

/// <summary>
/// How the models switch to an <see cref="InferencePrecision"/>: one cast of the weights, float32 kept where accuracy is
/// made, and the tensor casts at the edges of a forward pass.
/// </summary>
/// <remarks>
/// Measured with libtorch 2.10 on CPU (bfloat16 inputs, compared with float64 and with the float32 op rounded to
/// bfloat16): layer_norm, softmax, scaled_dot_product_attention, mean, gelu and linear in bfloat16 all accumulate in
/// float32 — their error equals the rounding of the float32 result to bfloat16. What is lost is the rounding of
/// weights and activations to 8 significant bits. So the body of a model runs in the reduced type, LayerNorm weights
/// stay float32 (layer_norm accepts a bfloat16 input with float32 weights and returns bfloat16), and the steps whose
/// output is the result — the final pooling (a mean with a float32 accumulator and float32 output), the final norm,
/// the heads — run in float32.
/// </remarks>
internal static class InferenceCasting
{
    /// <summary>
    /// Resolves <paramref name="requested"/> for <paramref name="device"/>, puts <paramref name="model"/> in evaluation
    /// mode and casts its floating parameters and buffers once: to the chosen type, except every LayerNorm of ours and
    /// the modules in <paramref name="keepFloat32"/>, which stay float32.
    /// </summary>
    public static PrecisionChoice Apply(nn.Module model, Device device, InferencePrecision requested, ILogger? logger, params nn.Module?[] keepFloat32)
    {
        var choice = PrecisionResolver.Resolve(requested, device, logger);
        model.eval();
        model.to(choice.ScalarType);
        if (choice.IsReduced)
        {
            foreach (var (_, child) in model.named_modules())
            {
                if (child is LayerNorm) child.to(ScalarType.Float32);
            }
            foreach (var module in keepFloat32) module?.to(ScalarType.Float32);
        }
        return choice;
    }

    /// <summary>The model's guard against training reduced-precision weights.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="on"/> and the weights are not float32.</exception>
    public static void ThrowIfTrainingReduced(bool on, ScalarType computeType, string model)
    {
        if (on && computeType != ScalarType.Float32)
        {
            throw new InvalidOperationException(
                $"{model} holds {computeType.ToString().ToLowerInvariant()} weights for inference (UseInferencePrecision) and cannot be trained: training needs float32 weights. "
                + "Train a float32 copy loaded from the checkpoint, or call UseInferencePrecision(InferencePrecision.Float32) first (the weights keep their rounding).");
        }
    }

    /// <summary>The element type of <paramref name="module"/>'s first floating parameter: what its body computes in.</summary>
    public static ScalarType WeightTypeOf(nn.Module module) =>
        module.parameters().First(p => p.is_floating_point()).dtype;

    /// <summary>bfloat16 or float16 when some parameter of <paramref name="module"/> was cast to it; float32 otherwise.</summary>
    public static ScalarType ReducedTypeOf(nn.Module module) =>
        module.parameters().Select(p => p.dtype).FirstOrDefault(t => t is ScalarType.BFloat16 or ScalarType.Float16, ScalarType.Float32);

    /// <summary><paramref name="x"/> as <paramref name="type"/>; the same tensor when it already is.</summary>
    public static Tensor As(Tensor x, ScalarType type) => x.dtype == type ? x : x.to_type(type);

    /// <summary><paramref name="x"/> as float32; the same tensor when it already is.</summary>
    public static Tensor AsFloat32(Tensor x) => As(x, ScalarType.Float32);
}
