from django.apps import AppConfig


class AgentRsosConfig(AppConfig):
    name = "agent_rsos"
    verbose_name = "Agent RSOS"
