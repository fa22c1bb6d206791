using AffectMae.Models.IO;
using static TorchSharp.torch;

namespace AffectMae.Models.Tests.Fixtures;

/// <summary>PyTorch reference fixtures made by <c>make_fixtures.py</c> (see README.md beside it).</summary>
public static class Fixture
{
    /// <summary>Full path of <c>Fixtures/&lt;name&gt;.safetensors</c> in the test output.</summary>
    public static string Path(string name) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", name + ".safetensors");

    /// <summary>Full path of <c>Fixtures/&lt;fileName&gt;</c> (name and extension) in the test output.</summary>
    public static string File(string fileName) => System.IO.Path.Combine(AppContext.BaseDirectory, "Fixtures", fileName);

    /// <summary>Every tensor of a fixture file, by key.</summary>
    public static Dictionary<string, Tensor> Load(string name) => SafeTensors.Load(Path(name));

    /// <summary>Asserts two tensors agree to rtol = atol = 1e-5, reporting the largest absolute difference.</summary>
    public static void ShouldMatch(this Tensor actual, Tensor expected, string what, double tolerance = 1e-5)
    {
        actual.shape.Should().Equal(expected.shape, $"{what} has the reference shape");
        using var a = actual.detach().to(float64).cpu();
        using var e = expected.to(float64).cpu();
        double maxDifference = (a - e).abs().max().item<double>();
        a.allclose(e, rtol: tolerance, atol: tolerance).Should().BeTrue($"{what} matches PyTorch to {tolerance} (max |Δ| = {maxDifference:E2})");
    }
}
