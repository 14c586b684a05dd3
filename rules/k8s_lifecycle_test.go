package rules

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
)

func TestPreStopOf(t *testing.T) {
	execHook := func(cmd ...string) *corev1.Lifecycle {
		return &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Exec: &corev1.ExecAction{Command: cmd}}}
	}
	tests := []struct {
		name string
		lc   *corev1.Lifecycle
		want PreStop
	}{
		{name: "none", lc: nil, want: PreStop{}},
		{name: "native sleep", lc: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{Sleep: &corev1.SleepAction{Seconds: 7}}}, want: PreStop{Present: true, Form: "sleep", Sleeps: true, Seconds: 7}},
		{name: "exec sleep", lc: execHook("sleep", "5"), want: PreStop{Present: true, Form: "exec", Sleeps: true, Seconds: 5, Arg: 1}},
		{name: "exec /bin/sleep with unit", lc: execHook("/bin/sleep", "1m"), want: PreStop{Present: true, Form: "exec", Sleeps: true, Seconds: 60, Arg: 1}},
		{name: "shell script", lc: execHook("/bin/sh", "-c", "sleep 10 && nginx -s quit"), want: PreStop{Present: true, Form: "exec", Sleeps: true, Seconds: 10, Arg: 2}},
		{name: "bash -ec", lc: execHook("bash", "-ec", "echo bye; sleep 15"), want: PreStop{Present: true, Form: "exec", Sleeps: true, Seconds: 15, Arg: 2}},
		{name: "fractional", lc: execHook("sleep", "2.5"), want: PreStop{Present: true, Form: "exec", Sleeps: true, Seconds: 2, Arg: 1}},
		{name: "exec without sleep", lc: execHook("nginx", "-s", "quit"), want: PreStop{Present: true, Form: "exec"}},
		{name: "shell without sleep", lc: execHook("sh", "-c", "kill -TERM 1"), want: PreStop{Present: true, Form: "exec"}},
		{name: "httpGet", lc: &corev1.Lifecycle{PreStop: &corev1.LifecycleHandler{HTTPGet: &corev1.HTTPGetAction{Path: "/drain"}}}, want: PreStop{Present: true, Form: "httpGet"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PreStopOf(&corev1.Container{Lifecycle: tt.lc})
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}
