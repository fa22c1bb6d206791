using AffectMae.Models.Tests.Fixtures;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Temporal;

/// <summary>Helpers for the temporal parity tests: fixture files, strict loading, devices and diff logging.</summary>
internal static class Reference
{
    /// <summary>Devices to run on: the CPU, and CUDA when this machine has it.</summary>
    public static IEnumerable<Device> Devices()
    {
        yield return CPU;
        if (cuda.is_available()) yield return CUDA;
    }

    /// <summary>Loads <paramref name="weights"/> strictly after checking the key sets are equal, then switches to eval().</summary>
    public static T LoadStrict<T>(T module, Dictionary<string, Tensor> weights) where T : nn.Module
    {
        module.state_dict().Keys.Should().BeEquivalentTo(weights.Keys, "the state-dict keys are PyTorch's");
        module.load_state_dict(weights, strict: true);
        module.eval();
        return module;
    }

    /// <summary>The stored F32 1/0 mask as the bool mask the modules take.</summary>
    public static Tensor Valid(Tensor storedMask) => storedMask.gt(0.5);

    /// <summary>Logs the largest absolute difference, then asserts allclose(rtol 1e-5, atol 1e-5).</summary>
    public static void ShouldMatchLogged(this Tensor actual, Tensor expected, string what, ITestOutputHelper output)
    {
        using var difference = (actual.detach().cpu().to(float64) - expected.cpu().to(float64)).abs().max();
        output.WriteLine($"{what}: max |Δ| = {difference.item<double>():E2}");
        actual.cpu().ShouldMatch(expected, what);
    }

    /// <summary>Disposes every tensor of a dictionary.</summary>
    public static void DisposeAll(this Dictionary<string, Tensor> tensors)
    {
        foreach (var t in tensors.Values) t.Dispose();
    }
}
