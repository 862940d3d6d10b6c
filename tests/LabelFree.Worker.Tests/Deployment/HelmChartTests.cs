using System.Reflection;
using System.Text.RegularExpressions;
using LabelFree.Pipeline.Tests.TestSupport;
using Microsoft.Extensions.Configuration;
using YamlDotNet.RepresentationModel;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The Helm chart checked without a helm binary: values exist for everything the templates use and
/// are documented, the templates' YAML skeletons are valid Kubernetes objects, and the settings an
/// operator relies on (KEDA on ready + unacked work, secrets from Secrets only, grace period above the
/// stack budget, a locked-down pod) are there.
/// </summary>
public class HelmChartTests
{
    private static readonly HelmChart Chart = HelmChart.Load(Path.Combine(TestEnvironment.RepositoryRoot, "helm", "labelfree-worker"));

    [Fact]
    public void Every_values_path_the_templates_use_exists_in_values_yaml()
    {
        var references = Chart.ValuesReferences().ToList();

        var missing = references.Where(r => Chart.Value(r.Path) is null)
            .Select(r => $"{r.File}: .Values.{r.Path}")
            .Distinct()
            .ToList();

        Assert.True(references.Count > 50, $"only {references.Count} .Values references found: is the scan broken?");
        Assert.True(missing.Count == 0, "missing from values.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_value_is_documented_by_a_comment()
    {
        var undocumented = ValuesComments.UndocumentedKeys(Chart.ValuesText);

        Assert.True(undocumented.Count == 0, "values without a comment above or beside them: " + string.Join("; ", undocumented));
    }

    [Fact]
    public void Every_template_is_a_kubernetes_object_in_valid_yaml()
    {
        var manifests = Chart.Templates.Keys.Where(file => file.EndsWith(".yaml", StringComparison.Ordinal)).ToList();

        foreach (var file in manifests)
        {
            var skeleton = Chart.Skeleton(file);
            Assert.True(Yaml.At(skeleton, "apiVersion") is YamlScalarNode, $"{file} has no apiVersion");
            Assert.True(Yaml.At(skeleton, "kind") is YamlScalarNode, $"{file} has no kind");
            Assert.True(Yaml.At(skeleton, "metadata.name") is YamlScalarNode, $"{file} has no metadata.name");
        }

        Assert.Equal(
            ["ConfigMap", "Deployment", "NetworkPolicy", "PodDisruptionBudget", "PrometheusRule", "ScaledObject", "Service", "ServiceAccount", "ServiceMonitor", "TriggerAuthentication"],
            manifests.Select(file => Yaml.Text(Chart.Skeleton(file), "kind")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Keda_scales_on_ready_and_unacknowledged_messages_of_stack_acquired()
    {
        var scaledObject = Chart.Skeleton("scaledobject.yaml");
        var trigger = "spec.triggers.0";
        var authentication = Chart.Skeleton("triggerauthentication.yaml");

        Assert.Equal("keda.sh/v1alpha1", Yaml.Text(scaledObject, "apiVersion"));
        Assert.Equal("rabbitmq", Yaml.Text(scaledObject, $"{trigger}.type"));
        // amqp would count ready messages only, and KEDA would scale away pods in the middle of a stack.
        Assert.Equal("http", Yaml.Text(scaledObject, $"{trigger}.metadata.protocol"));
        Assert.Equal("QueueLength", Yaml.Text(scaledObject, $"{trigger}.metadata.mode"));
        Assert.Equal("stack-acquired", Yaml.Text(scaledObject, $"{trigger}.metadata.queueName"));
        Assert.Equal("false", Yaml.Text(scaledObject, $"{trigger}.metadata.excludeUnacknowledged"));
        Assert.NotNull(Yaml.At(scaledObject, $"{trigger}.metadata.value"));
        Assert.NotNull(Yaml.At(scaledObject, $"{trigger}.metadata.activationValue"));
        Assert.NotNull(Yaml.At(scaledObject, "spec.advanced.horizontalPodAutoscalerConfig.behavior.scaleDown.stabilizationWindowSeconds"));
        Assert.Equal("host", Yaml.Text(authentication, "spec.secretTargetRef.0.parameter"));
        Assert.Equal(0, Chart.Number("keda.minReplicaCount"));
        Assert.True(Chart.Number("keda.maxReplicaCount") >= 1);
        Assert.True(Chart.Number("keda.cooldownPeriod") > 0 && Chart.Number("keda.pollingInterval") > 0);
        Assert.True(Chart.Number("keda.scaleDownStabilizationSeconds") > 0);
        Assert.Matches(@"minReplicaCount: \{\{ \.Values\.keda\.minReplicaCount \}\}", Chart.Templates["scaledobject.yaml"]);
    }

    [Fact]
    public void The_deployment_sets_replicas_only_when_keda_is_off()
    {
        var lines = Chart.Templates["deployment.yaml"].Split('\n').Select(line => line.Trim()).ToList();
        var replicas = lines.FindIndex(line => line.StartsWith("replicas:", StringComparison.Ordinal));

        // Two owners of spec.replicas (helm upgrade and KEDA's HPA) would fight on every upgrade.
        Assert.True(replicas > 0, "no replicas line");
        Assert.Equal("{{- if not .Values.keda.enabled }}", lines[replicas - 1]);
        Assert.Equal("{{- end }}", lines[replicas + 1]);
    }

    [Fact]
    public void Connection_strings_come_only_from_existing_secrets()
    {
        var env = Env(Chart.Skeleton("deployment.yaml"));
        var config = (YamlMappingNode)Yaml.At(Chart.Skeleton("configmap.yaml"), "data")!;
        var secretLooking = new Regex(@"://[^/\s:@]+:[^/\s@]+@|AccountKey=|SharedAccessSignature=|password", RegexOptions.IgnoreCase);

        foreach (var secret in new[] { "LABELFREE__Broker__Url", "LABELFREE__Storage__ConnectionString" })
        {
            Assert.NotNull(Yaml.At(env[secret], "valueFrom.secretKeyRef.name"));
            Assert.DoesNotContain(config.Children.Keys, key => ((YamlScalarNode)key).Value == secret);
        }

        Assert.DoesNotContain(Chart.Templates.Values, template => Regex.IsMatch(template, @"^kind:\s*Secret\s*$", RegexOptions.Multiline));
        Assert.DoesNotMatch(secretLooking, Regex.Replace(Chart.ValuesText, "(?m)#.*$", ""));
        foreach (var existingSecret in new[] { "broker.existingSecret", "storage.existingSecret", "keda.existingSecret" })
        {
            Assert.Equal("", ((YamlScalarNode)Chart.Value(existingSecret)!).Value);
        }
    }

    [Fact]
    public void Termination_grace_period_is_the_stack_budget_plus_a_margin()
    {
        var deployment = Chart.Templates["deployment.yaml"];
        var grace = Chart.Define("labelfree-worker.terminationGracePeriodSeconds");
        var budget = Chart.Define("labelfree-worker.stackTimeBudgetMinutes");
        var config = Chart.Skeleton("configmap.yaml");

        Assert.Contains("terminationGracePeriodSeconds: {{ include \"labelfree-worker.terminationGracePeriodSeconds\" . }}", deployment, StringComparison.Ordinal);
        Assert.Contains("add (mul (int (include \"labelfree-worker.stackTimeBudgetMinutes\" .)) 60) (int .Values.terminationGraceMarginSeconds)", grace, StringComparison.Ordinal);
        Assert.Contains(".Values.broker.stackTimeBudgetMinutes", budget, StringComparison.Ordinal);
        Assert.True(Chart.Number("terminationGraceMarginSeconds") > 0);
        // The worker finishes the stack in hand for the same budget (its ShutdownGracePeriod) before Kubernetes kills it.
        Assert.Contains("LABELFREE__ShutdownGracePeriod: {{ include \"labelfree-worker.stackTimeBudget\" . | quote }}", Chart.Templates["configmap.yaml"], StringComparison.Ordinal);
        Assert.NotNull(Yaml.At(config, "data.LABELFREE__Broker__StackTimeBudget"));
    }

    [Fact]
    public void Pods_run_as_the_image_user_non_root_with_a_read_only_root_and_a_writable_tmp()
    {
        var pod = Yaml.At(Chart.Skeleton("deployment.yaml"), "spec.template.spec")!;
        var container = "containers.0";
        var imageUser = Dockerfile.Load(Path.Combine(TestEnvironment.RepositoryRoot, "Dockerfile")).Final.Single("USER").Arguments.Split(':')[0];

        Assert.Equal("true", Yaml.Text(pod, "securityContext.runAsNonRoot"));
        Assert.Equal(imageUser, Yaml.Text(pod, "securityContext.runAsUser"));
        Assert.Equal("RuntimeDefault", Yaml.Text(pod, "securityContext.seccompProfile.type"));
        Assert.Equal("true", Yaml.Text(pod, $"{container}.securityContext.readOnlyRootFilesystem"));
        Assert.Equal("false", Yaml.Text(pod, $"{container}.securityContext.allowPrivilegeEscalation"));
        Assert.Equal("ALL", Yaml.Text(pod, $"{container}.securityContext.capabilities.drop.0"));
        Assert.Equal("RuntimeDefault", Yaml.Text(pod, $"{container}.securityContext.seccompProfile.type"));
        Assert.Equal("/tmp", Yaml.Text(pod, $"{container}.volumeMounts.0.mountPath"));
        var volume = Yaml.Text(pod, $"{container}.volumeMounts.0.name");
        Assert.NotNull(Yaml.At(pod, "volumes.0.emptyDir"));
        Assert.Equal(volume, Yaml.Text(pod, "volumes.0.name"));
    }

    [Fact]
    public void Probes_use_healthz_for_liveness_and_readyz_for_readiness_on_the_metrics_port()
    {
        var container = Yaml.At(Chart.Skeleton("deployment.yaml"), "spec.template.spec.containers.0")!;
        var port = Yaml.Text(container, "ports.0.name");

        Assert.Equal("/healthz", Yaml.Text(container, "livenessProbe.httpGet.path"));
        Assert.Equal("/healthz", Yaml.Text(container, "startupProbe.httpGet.path"));
        Assert.Equal("/readyz", Yaml.Text(container, "readinessProbe.httpGet.path"));
        Assert.All(new[] { "livenessProbe", "startupProbe", "readinessProbe" }, probe => Assert.Equal(port, Yaml.Text(container, $"{probe}.httpGet.port")));
        Assert.Equal(port, Yaml.Text(Chart.Skeleton("service.yaml"), "spec.ports.0.targetPort"));
        Assert.Equal(port, Yaml.Text(Chart.Skeleton("servicemonitor.yaml"), "spec.endpoints.0.port"));
        Assert.Contains("prometheus.io/scrape: \"true\"", Chart.Templates["deployment.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Inference_threads_follow_the_containers_cpu_limit()
    {
        var deployment = Chart.Skeleton("deployment.yaml");
        var container = Yaml.Text(deployment, "spec.template.spec.containers.0.name");
        var env = Env(deployment);

        foreach (var variable in new[] { "LABELFREE__Prediction__CpuThreads", "OMP_NUM_THREADS" })
        {
            Assert.Equal("limits.cpu", Yaml.Text(env[variable], "valueFrom.resourceFieldRef.resource"));
            Assert.Equal(container, Yaml.Text(env[variable], "valueFrom.resourceFieldRef.containerName"));
            Assert.Equal("1", Yaml.Text(env[variable], "valueFrom.resourceFieldRef.divisor"));
        }

        Assert.NotNull(Chart.Value("resources.limits.cpu"));
    }

    [Fact]
    public void Every_setting_the_chart_passes_names_a_real_worker_option()
    {
        var options = typeof(LabelFree.Worker.Hosting.WorkerOptions);
        var settings = ((YamlMappingNode)Yaml.At(Chart.Skeleton("configmap.yaml"), "data")!).Children.Keys
            .Select(key => ((YamlScalarNode)key).Value!)
            .Concat(Env(Chart.Skeleton("deployment.yaml")).Keys)
            .Where(name => name.StartsWith("LABELFREE__", StringComparison.Ordinal))
            .ToList();

        var unknown = settings.Where(name => !IsOption(options, name.Split("__").Skip(1))).ToList();

        Assert.True(settings.Count > 15, $"only {settings.Count} settings found");
        Assert.True(unknown.Count == 0, "no such worker option: " + string.Join(", ", unknown));
    }

    // The container's env entries by name.
    private static Dictionary<string, YamlNode> Env(YamlNode deployment) =>
        ((YamlSequenceNode)Yaml.At(deployment, "spec.template.spec.containers.0.env")!).Children
            .ToDictionary(entry => Yaml.Text(entry, "name"), entry => entry, StringComparer.Ordinal);

    // Walks LABELFREE__Models__X__Location__Prefix down WorkerOptions' properties; a number or the skeleton's placeholder indexes a list.
    // A property is found under its configuration key name, and a segment may name two properties (WorkerOptions'
    // Prediction and PredictionCapacity both bind LabelFree:Prediction).
    private static bool IsOption(Type type, IEnumerable<string> path)
    {
        var segments = path.ToList();
        if (segments.Count == 0)
        {
            return true;
        }

        var (segment, rest) = (segments[0], segments.Skip(1));
        var element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>) ? type.GetGenericArguments()[0]
            : null;
        if (element is not null && (segment == TemplateSkeleton.Placeholder || segment.All(char.IsAsciiDigit)))
        {
            return IsOption(element, rest);
        }

        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => string.Equals(property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name ?? property.Name, segment, StringComparison.OrdinalIgnoreCase))
            .Any(property => IsOption(property.PropertyType, rest));
    }
}
