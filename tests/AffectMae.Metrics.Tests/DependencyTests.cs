namespace AffectMae.Metrics.Tests;

public class DependencyTests
{
    [Fact]
    public void Metrics_assembly_references_no_TorchSharp_assembly()
    {   // STYLE.md: "Metrics depends on nothing"; the metrics must run without a libtorch install
        typeof(Ccc).Assembly.GetReferencedAssemblies()
            .Should().NotContain(name => name.Name!.StartsWith("TorchSharp", StringComparison.OrdinalIgnoreCase));
    }
}
