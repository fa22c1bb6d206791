using AffectMae.Core.Segmentation;
using AffectMae.Models.Mae;
using AffectMae.Models.Temporal;
using AffectMae.Models.Training;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers AffectMae's options, bound from configuration, validated at start-up.</summary>
public static class AffectMaeServiceCollectionExtensions
{
    /// <summary>The configuration section every AffectMae setting lives under.</summary>
    public const string SectionName = "AffectMae";

    /// <summary>
    /// Binds, with the paper's values as defaults:
    /// <c>AffectMae:Segmentation</c> → <see cref="SegmentationOptions"/>, <c>AffectMae:Mae</c> →
    /// <see cref="MaeViTOptions"/>, <c>AffectMae:SequenceModel</c> → <see cref="AffectSequenceModelOptions"/>, and
    /// <c>AffectMae:Optimization:{Pretraining,FineTuning,Temporal}</c> → named <see cref="OptimizationOptions"/>
    /// (read them with <c>IOptionsMonitor&lt;OptimizationOptions&gt;.Get(name)</c>). Every options class is validated
    /// when the host starts, so a bad setting stops the application with a message naming it.
    /// </summary>
    public static IServiceCollection AddAffectMae(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var root = configuration.GetSection(SectionName);

        Add<SegmentationOptions, SegmentationOptionsValidator>(services, Microsoft.Extensions.Options.Options.DefaultName, root.GetSection("Segmentation"), () => new SegmentationOptions());
        Add<MaeViTOptions, MaeViTOptionsValidator>(services, Microsoft.Extensions.Options.Options.DefaultName, root.GetSection("Mae"), () => MaeViTOptions.Base16Dec512D8);
        Add<AffectSequenceModelOptions, AffectSequenceModelOptionsValidator>(services, Microsoft.Extensions.Options.Options.DefaultName, root.GetSection("SequenceModel"), () => AffectSequenceModelOptions.Base768D512);
        foreach (var (name, preset) in OptimizationPresets)
            Add<OptimizationOptions, OptimizationOptionsValidator>(services, name, root.GetSection("Optimization").GetSection(name), preset);
        return services;
    }

    /// <summary>Names of the three <see cref="OptimizationOptions"/> registered by <see cref="AddAffectMae"/>, with their presets.</summary>
    public static IReadOnlyList<(string Name, Func<OptimizationOptions> Preset)> OptimizationPresets { get; } =
    [
        ("Pretraining", () => OptimizationOptions.Pretraining),
        ("FineTuning", () => OptimizationOptions.FineTuning),
        ("Temporal", () => OptimizationOptions.Temporal),
    ];

    private static void Add<TOptions, TValidator>(IServiceCollection services, string name, IConfigurationSection section, Func<TOptions> preset)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>, new()
    {
        services.AddOptions<TOptions>(name)
            .Configure(options => CopyProperties(preset(), options))
            .Bind(section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<TOptions>>(new NamedValidator<TOptions>(name, new TValidator()));
    }

    // The options types are plain property bags whose constructors hold defaults; a preset replaces those defaults.
    private static void CopyProperties<T>(T source, T destination)
    {
        foreach (var property in typeof(T).GetProperties().Where(p => p.CanRead && p.CanWrite))
            property.SetValue(destination, property.GetValue(source));
    }

    private sealed class NamedValidator<TOptions>(string name, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
        where TOptions : class
    {
        public ValidateOptionsResult Validate(string? optionsName, TOptions options) =>
            optionsName == name ? inner.Validate(optionsName, options) : ValidateOptionsResult.Skip;
    }
}
